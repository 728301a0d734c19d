import Foundation
import Hummingbird
import TaktCentralStore
import TaktCore
import TaktWeb

/// Materials across sites: what each site is short of and should buy (as its material plan last said), and a
/// recall of a supplier's lot over every site the person may see, because one supplier lot can reach several
/// plants. Pages at `/materials` and `/recall`; JSON at `/v1/materials/shortages` and `/v1/recall`.
extension CentralServer {
    func addMaterials(to router: Router<CentralContext>) {
        router.get("/materials") { request, _ in
            try await self.withSession(request) { session in
                let sites = try await self.shortages(session.access)
                return Self.html(
                    Dashboard.page(
                        title: "Materials", user: session.access.user.name, csrf: session.csrf,
                        body: Dashboard.materials(sites, zone: { self.zone($0) })))
            }
        }
        router.get("/recall") { request, _ in
            try await self.withSession(request) { session in
                let text = request.uri.queryParameters["supplier_lot"].map(String.init) ?? ""
                var recall: CentralRecall?
                var error: String?
                if !text.isEmpty {
                    switch Self.supplierLot(text) {
                    case .success(let lot):
                        recall = try await self.store.recall(supplierLot: lot, sites: self.visibleSites(session.access))
                    case .failure(let problem): error = problem.message
                    }
                }
                return Self.html(
                    error == nil ? .ok : .badRequest,
                    Dashboard.page(
                        title: "Recall", user: session.access.user.name, csrf: session.csrf,
                        body: Dashboard.recall(
                            recall, asked: text, error: error, names: { self.siteName($0) },
                            zone: { self.zone($0) })))
            }
        }
        router.get("/v1/materials/shortages") { request, _ in
            try await self.withToken(request) { access in
                Self.json(.ok, try await self.shortages(access))
            }
        }
        router.get("/v1/recall") { request, _ in
            try await self.withToken(request) { access in
                switch Self.supplierLot(request.uri.queryParameters["supplier_lot"].map(String.init) ?? "") {
                case .success(let lot):
                    return Self.json(
                        .ok, try await self.store.recall(supplierLot: lot, sites: self.visibleSites(access)))
                case .failure(let problem): return Self.error(.badRequest, "bad_request", problem.message)
                }
            }
        }
    }

    struct Problem: Error { var message: String }

    /// A supplier's lot as asked for: given, at most 200 characters, no control characters.
    static func supplierLot(_ text: String) -> Result<String, Problem> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            return .failure(Problem(message: "supplier_lot: give the supplier's lot to recall"))
        }
        guard trimmed.count <= 200,
            !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return .failure(Problem(message: "supplier_lot: at most 200 printable characters")) }
        return .success(trimmed)
    }

    func visibleSites(_ access: Access) -> [String] { access.regions.flatMap { $0.sites.map(\.id) } }

    func siteName(_ id: String) -> String {
        configuration.sites.first { $0.site.id == id }?.site.name ?? id
    }

    /// One site's material status as it last sent it.
    struct SiteMaterials: Codable, Sendable {
        var site: String
        var name: String
        /// Nil when the site has not sent a material plan (no items, or not yet).
        var lines: [MaterialStatus.Line]?
    }

    func shortages(_ access: Access) async throws -> [SiteMaterials] {
        try await latest(MaterialStatus.self, kind: "material_status", key: "site", access).map {
            SiteMaterials(site: $0.site, name: $0.name, lines: $0.status?.lines)
        }
    }

    /// What a site last sent of a status record central keeps as it stands (`material_status`,
    /// `maintenance_status`, `losses`), for every site `access` may see; nil for a site that sent none, or one
    /// central cannot read.
    struct SiteStatus<Status: Codable & Sendable>: Codable, Sendable {
        var site: String
        var name: String
        var status: Status?
    }

    func latest<Status: Codable & Sendable>(_ type: Status.Type, kind: String, key: String, _ access: Access)
        async throws -> [SiteStatus<Status>]
    {
        var result: [SiteStatus<Status>] = []
        for site in visibleSites(access) {
            let payload = try await store.state(site: site, kind: kind)[key]
            let status = payload.flatMap { try? SiteState.decoder.decode(Status.self, from: Data($0.utf8)) }
            result.append(SiteStatus(site: site, name: siteName(site), status: status))
        }
        return result
    }
}
