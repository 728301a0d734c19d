import Foundation
import Hummingbird
import TaktCore
import TaktHost
import TaktStore
import TaktWeb

/// The site's JSON API, for devices (a chiller's data logger) and other systems: bearer tokens per user or per
/// device (`takt site user token`), a device token limited to the checks it names.
extension SiteApp {
    struct APIReading: Decodable {
        var check: String
        var value: Double
        var lot: String?
        var workCentre: String?
        /// The instrument that took it (a logger's probe id).
        var instrument: String?
        var at: Date?
    }

    struct APIRecorded: Encodable {
        var reading: Int64
        var findings: [Finding]
        var released: [FindingAction]
    }

    struct APIError: Encodable {
        var error: String
        var message: String
    }

    func addAPI(to router: Router<WebContext>) {
        router.get("/api/openapi.yaml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml"],
                body: .init(byteBuffer: ByteBuffer(string: SiteOpenAPI.text)))
        }
        router.get("/api/v1/findings") { request, _ in
            try await self.withToken(request) { _, _ in
                let open = request.uri.queryParameters["open"].map { $0 == "true" } ?? false
                return Self.json(.ok, try self.host.findings(openOnly: open))
            }
        }
        router.get("/api/v1/checks-due") { request, _ in
            try await self.withToken(request) { _, _ in Self.json(.ok, try self.host.checksDue(at: self.clock())) }
        }
        router.get("/api/v1/lots") { request, _ in
            try await self.withToken(request) { _, _ in
                let status = request.uri.queryParameters["status"].flatMap { Lot.Status(rawValue: String($0)) }
                return Self.json(.ok, try self.host.lots(status: status))
            }
        }
        router.get("/api/v1/plan") { request, _ in
            try await self.withToken(request) { _, _ in
                guard let current = try self.host.store.currentSchedule() else {
                    return Self.error(.notFound, "no_plan", "there is no plan yet")
                }
                return Self.json(.ok, APIPlan(summary: current.summary, rows: current.rows))
            }
        }
        router.post("/api/v1/lots") { request, _ in
            try await self.withToken(request) { user, checks in
                guard checks == nil, user.role.may(.addLot) else {
                    return Self.error(.forbidden, "forbidden", "this token may not add lots")
                }
                return try await self.decoded(APILot.self, request) { lot in
                    let now = self.clock()
                    try self.host.addLot(
                        Lot(
                            id: lot.id, product: lot.product, quantity: lot.quantity, producedAt: lot.producedAt ?? now,
                            expiresAt: lot.expiresAt), at: now)
                    return Self.json(.created, try self.host.store.lot(lot.id))
                }
            }
        }
        router.post("/api/v1/production") { request, _ in
            try await self.withToken(request) { user, checks in
                guard checks == nil, user.role.may(.reportProduction) else {
                    return Self.error(.forbidden, "forbidden", "this token may not report production")
                }
                return try await self.decoded(APIProduction.self, request) { report in
                    Self.json(
                        .created,
                        try self.host.reportProduction(
                            workCentre: report.workCentre, product: report.product, order: report.order,
                            good: report.good, scrap: report.scrap ?? 0, from: report.from, to: report.to,
                            down: TimeSpan(seconds: report.downSeconds ?? 0), downReason: report.downReason))
                }
            }
        }
        router.post("/api/v1/orders") { request, _ in
            try await self.withToken(request) { user, checks in
                guard checks == nil, user.role.may(.plan) else {
                    return Self.error(.forbidden, "forbidden", "only the site manager imports orders")
                }
                let data: Data
                do {
                    data = try await self.budget.collect(request, limit: 8 * 1024 * 1024, timeout: self.bodyTimeout)
                } catch {
                    return Self.error(.contentTooLarge, "body_too_large", "an order file is at most 8 MB")
                }
                let summary: SiteStore.ImportSummary
                do throws(HostError) {
                    summary = try self.host.importOrders(csv: data, file: "orders.csv", at: self.clock())
                } catch {
                    return Self.error(
                        error.isBadInput ? .unprocessableContent : .internalServerError, "refused", "\(error)")
                }
                return Self.json(.created, summary)
            }
        }
        router.post("/api/v1/readings") { request, _ in
            try await self.withToken(request) { user, checks in try await self.postReading(request, user, checks) }
        }
    }

    func withToken(
        _ request: Request, _ body: (SiteStore.AppUser, Set<String>?) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "), header.utf8.count <= 200,
            let found = try host.store.appToken(tokenHash: Credentials.tokenHash(String(header.dropFirst(7))))
        else {
            return Self.error(
                .unauthorized, "unauthorized", "send Authorization: Bearer <token> (takt site user token)")
        }
        return try await body(found.user, found.checks)
    }

    func postReading(_ request: Request, _ user: SiteStore.AppUser, _ checks: Set<String>?) async throws -> Response {
        guard user.role.may(.recordCheck) else {
            return Self.error(.forbidden, "forbidden", "role \(user.role.rawValue) may not record checks")
        }
        let data: Data
        do { data = try await budget.collect(request, limit: 64 * 1024, timeout: bodyTimeout) } catch {
            return Self.error(.contentTooLarge, "body_too_large", "a reading is at most 64 KB")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let reading: APIReading
        do { reading = try decoder.decode(APIReading.self, from: data) } catch {
            return Self.error(.badRequest, "malformed", "the body is not a reading: \(Self.describe(error))")
        }
        guard let check = try? RuleID(validating: reading.check) else {
            return Self.error(.unprocessableContent, "invalid_check", "'\(reading.check)' is not a check id")
        }
        if let checks, !checks.contains(check.rawValue) {
            return Self.error(
                .forbidden, "forbidden", "this token may record only \(checks.sorted().joined(separator: ", "))")
        }
        do {
            let recorded = try host.record(
                CheckReading(
                    check: check, value: reading.value, lot: reading.lot, workCentre: reading.workCentre,
                    recordedBy: user.staff, instrument: reading.instrument, at: reading.at ?? clock()),
                fromDevice: checks != nil)
            return Self.json(
                .created,
                APIRecorded(reading: recorded.readingID, findings: recorded.findings, released: recorded.released))
        } catch {
            return Self.error(error.isBadInput ? .unprocessableContent : .internalServerError, "refused", "\(error)")
        }
    }

    struct APIPlan: Encodable {
        var summary: ScheduleSummary
        var rows: [ScheduleRow]
    }

    struct APILot: Decodable {
        var id: String
        var product: String
        var quantity: Double
        var producedAt: Date?
        var expiresAt: Date?
    }

    struct APIProduction: Decodable {
        var workCentre: String
        var product: String
        var order: String?
        var good: Double
        var scrap: Double?
        var downSeconds: Int?
        var downReason: String?
        var from: Date
        var to: Date
    }

    /// Decodes a JSON body of at most 64 KB and runs `body` with it; a malformed body is 400, a refusal by the
    /// site 422, both naming what is wrong.
    func decoded<T: Decodable>(_ type: T.Type, _ request: Request, _ body: (T) throws -> Response) async throws
        -> Response
    {
        let data: Data
        do { data = try await budget.collect(request, limit: 64 * 1024, timeout: bodyTimeout) } catch {
            return Self.error(.contentTooLarge, "body_too_large", "the body is at most 64 KB")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let value: T
        do { value = try decoder.decode(type, from: data) } catch {
            return Self.error(.badRequest, "malformed", "the body is not valid: \(Self.describe(error))")
        }
        do { return try body(value) } catch let error as HostError {
            return Self.error(error.isBadInput ? .unprocessableContent : .internalServerError, "refused", "\(error)")
        }
    }

    static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        switch decoding {
        case .keyNotFound(let key, _): return "'\(key.stringValue)' is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : "\(path): ") + context.debugDescription
        @unknown default: return "\(error)"
        }
    }

    static func json(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        json(status, APIError(error: code, message: message))
    }
}

/// The site API's OpenAPI document, served at `/api/openapi.yaml`.
enum SiteOpenAPI {
    static let text = """
        openapi: 3.0.3
        info:
          title: Takt site API
          version: "1"
          description: >
            The API of one site, served by `takt site serve` (or `takt site run --app-port`) on the plant's
            network. Authenticate with `Authorization: Bearer <token>` from `takt site user token`; a device
            token made with `--checks` may record only those checks. Every write goes through the same rules,
            transaction and outbox as the command line and the pages.
        components:
          securitySchemes:
            bearer: {type: http, scheme: bearer}
        security: [{bearer: []}]
        paths:
          /api/v1/findings:
            get:
              summary: Findings, newest first; only open ones with open=true.
              parameters: [{name: open, in: query, schema: {type: boolean}}]
              responses:
                "200": {description: The findings.}
                "401": {description: No valid token.}
          /api/v1/checks-due:
            get:
              summary: Every check with a frequency, per work centre, with when it is due.
              responses:
                "200": {description: The checks.}
                "401": {description: No valid token.}
          /api/v1/lots:
            get:
              summary: Lots, newest first; only those with status (released, on_hold, rejected, issued) when given.
              parameters: [{name: status, in: query, schema: {type: string}}]
              responses:
                "200": {description: The lots.}
            post:
              summary: Adds a lot the site produced (not with a device token).
              requestBody:
                content:
                  application/json:
                    example: {id: L-42, product: white-loaf, quantity: 800, expiresAt: "2026-11-28T00:00:00Z"}
              responses:
                "201": {description: The lot.}
                "400": {description: The body is not a lot.}
                "403": {description: A device token, or a role that may not add lots.}
                "422": {description: "Refused by the site: an unknown product, a lot id that exists."}
          /api/v1/production:
            post:
              summary: Reports what a work centre made (not with a device token).
              requestBody:
                content:
                  application/json:
                    example: {workCentre: oven-1, product: white-loaf, good: 780, scrap: 20, downSeconds: 600, from: "2026-11-25T06:00:00Z", to: "2026-11-25T14:00:00Z"}
              responses:
                "201": {description: The report, with planned time and the ideal rate.}
                "422": {description: "Refused: counts that are not whole units, a rate above 150 % of the ideal, the same report twice."}
          /api/v1/orders:
            post:
              summary: Imports orders from a CSV file (the site manager's token only), as takt orders import does.
              requestBody:
                content:
                  text/csv:
                    example: "id,product,quantity,due,priority\nLB-101,white-loaf,1500,2026-11-26T11:00,2"
              responses:
                "201": {description: How many orders were added and updated, and what the reader noticed.}
                "422": {description: Every bad row with its line; nothing is imported.}
          /api/v1/plan:
            get:
              summary: The current plan, its summary (late orders with reasons) and rows.
              responses:
                "200": {description: The plan.}
                "404": {description: There is no plan yet.}
          /api/v1/quote:
            get:
              summary: Capable-to-promise, as takt quote answers it (supervisor and site manager tokens).
              description: >-
                The earliest the site can finish `quantity` of `product` on its plan of record without making any
                committed order later, the reasons for the date, the standard cost; with `by`, whether that meets
                it and, if not, which orders would slip and by how much to meet it. Nothing is stored.
              parameters:
                - {name: product, in: query, required: true, schema: {type: string}}
                - {name: quantity, in: query, required: true, schema: {type: number}}
                - {name: by, in: query, schema: {type: string}, description: "2026-12-20T12:00, site-local"}
              responses:
                "200": {description: The quote.}
                "400": {description: A missing or bad parameter.}
                "403": {description: The token may not ask for quotes.}
                "422": {description: "Refused: an unknown product, no room in the horizon."}
          /api/v1/costs:
            get:
              summary: A month's costs (supervisor and site manager tokens), as the sweep sends central.
              description: >-
                Budget against actual and the forecast to month end by category, the variance of the orders
                produced against standard in its parts, and each day's actual cost, in the site's currency.
              parameters: [{name: month, in: query, schema: {type: string}, description: YYYY-MM; this month}]
              responses:
                "200": {description: The month's cost status.}
                "400": {description: month is not YYYY-MM.}
          /api/v1/readings:
            post:
              summary: Records a reading; the site's rules judge it at once.
              description: >-
                `instrument` names the probe that took it, from site.yaml's `instruments`; a check an instrument is
                named for needs one, calibrated within its interval, or the reading raises a finding.
              requestBody:
                content:
                  application/json:
                    example: {check: food_processing.ccp.chill, value: 4.2, workCentre: chiller-1, instrument: probe-1, at: "2026-11-25T08:00:00Z"}
              responses:
                "201": {description: "Recorded: the reading's id, the findings it raised, the blocks it lifted."}
                "400": {description: The body is not a reading.}
                "401": {description: No valid token.}
                "403": {description: The token or role may not record this check.}
                "422": {description: "Refused by the site: an unknown check, lot, work centre or instrument, a time ahead of the site's clock."}
        """
}
