import Foundation
import Hummingbird
import TaktCentralStore
import TaktExtensions
import TaktSync
import TaktWeb

/// Central's Extensions page and API: which extension versions each site runs, which is published to it, and — for
/// administrators and regional managers — publishing a signed module to sites or a region. The same checks as
/// `takt central extensions publish` (`ExtensionPublishing`): the module loads and passes its own tests, and its
/// version is newer than any published to each site; every site verifies the signature again before installing.
extension CentralServer {
    /// One site's extension: what it runs (its names last said) and the newest release published to it.
    struct ExtensionRow: Encodable, Sendable {
        var site: String
        var region: String
        var id: String
        var running: String?
        var published: String?
        var publishedBy: String?
        var publishedAt: Date?

        /// `current`, `waiting` (published, not yet running), `local` (running, not published from central).
        var state: String {
            switch (running, published) {
            case (let running?, let published?) where running == published: "current"
            case (_, _?): "waiting"
            default: "local"
            }
        }

        enum CodingKeys: String, CodingKey {
            case site, region, id, running, published, state
            case publishedBy = "published_by"
            case publishedAt = "published_at"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(site, forKey: .site)
            try container.encode(region, forKey: .region)
            try container.encode(id, forKey: .id)
            try container.encodeIfPresent(running, forKey: .running)
            try container.encodeIfPresent(published, forKey: .published)
            try container.encodeIfPresent(publishedBy, forKey: .publishedBy)
            try container.encodeIfPresent(publishedAt, forKey: .publishedAt)
            try container.encode(state, forKey: .state)
        }
    }

    /// What `POST /v1/extensions` takes: the module and its signature in base64, and the sites and/or a region.
    struct PublishRequest: Decodable {
        var module: String
        var signature: String
        var sites: [String]?
        var region: String?
    }

    func addExtensionPages(to router: Router<CentralContext>) {
        router.get("/extensions.js") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: Dashboard.extensionsScript)))
        }
        router.get("/extensions") { request, _ in
            try await self.withSession(request) { session in
                Self.html(
                    Dashboard.page(
                        title: "Extensions", user: session.access.user.name, csrf: session.csrf,
                        body: Dashboard.extensions(
                            try await self.extensionRows(session.access),
                            regions: self.publishableRegions(session.access),
                            csrf: session.csrf,
                            published: request.uri.queryParameters["published"].map { String($0.prefix(200)) })))
            }
        }
        router.post("/extensions") { request, _ in
            guard let session = try await self.session(request) else { return Self.redirect("/login") }
            let fields: [String: [String]]
            do throws(BodyRefusal) { fields = try await self.form(request, limit: 12 * 1024 * 1024) } catch {
                return Self.refusal(error)
            }
            guard Credentials.same(fields["csrf"]?.first, session.csrf) else { return Self.csrfRefusal() }
            let region = fields["region"]?.first.flatMap { $0.isEmpty ? nil : $0 }
            let sites = (fields["site"] ?? []).filter { !$0.isEmpty }
            switch await self.publishExtension(
                module: fields["module"]?.first ?? "", signature: fields["signature"]?.first ?? "", sites: sites,
                region: region, access: session.access)
            {
            case .success(let (release, targets)):
                let text = "\(release.id) \(release.version) to \(targets.joined(separator: ", "))"
                return Self.redirect(
                    "/extensions?published="
                        + (text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            case .failure(let refusal):
                return Self.problemPage(
                    refusal.forbidden ? .forbidden : .unprocessableContent, session, title: "Extensions",
                    "Nothing was published: \(refusal.message)")
            }
        }
        router.get("/v1/extensions") { request, _ in
            try await self.withToken(request) { access in Self.json(.ok, try await self.extensionRows(access)) }
        }
        router.post("/v1/extensions") { request, _ in
            try await self.withToken(request) { access in
                let body: Data
                do throws(BodyRefusal) {
                    body = try await self.budget.collect(request, limit: 12 * 1024 * 1024, timeout: self.bodyTimeout)
                } catch { return Self.refusal(error) }
                guard let publish = try? JSONDecoder().decode(PublishRequest.self, from: body) else {
                    return Self.error(
                        .badRequest, "bad_request",
                        "send JSON {\"module\": base64 of the .wasm, \"signature\": its base64 signature, "
                            + "\"sites\": [...] and/or \"region\": \"...\"}")
                }
                switch await self.publishExtension(
                    module: publish.module, signature: publish.signature, sites: publish.sites ?? [],
                    region: publish.region, access: access)
                {
                case .success(let (release, targets)):
                    return Self.json(
                        .created,
                        ["id": release.id, "version": release.version, "sites": targets.joined(separator: ",")])
                case .failure(let refusal):
                    return Self.error(
                        refusal.forbidden ? .forbidden : .unprocessableContent,
                        refusal.forbidden ? "forbidden" : "refused", refusal.message)
                }
            }
        }
    }

    struct PublishRefusal: Error {
        var message: String
        var forbidden = false
    }

    /// Checks who publishes where, decodes the module, and publishes it; the release and the sites it went to.
    func publishExtension(module: String, signature: String, sites: [String], region: String?, access: Access) async
        -> Result<(ExtensionRelease, [String]), PublishRefusal>
    {
        var targets = sites
        if let region {
            guard let entry = configuration.regions.first(where: { $0.id == region }) else {
                return .failure(PublishRefusal(message: "region: no region '\(region.prefix(60))'"))
            }
            targets += entry.sites.map(\.id)
        }
        targets = Array(Set(targets)).sorted()
        guard !targets.isEmpty else { return .failure(PublishRefusal(message: "name the sites or the region")) }
        for site in targets {
            guard configuration.sites.contains(where: { $0.site.id == site }) else {
                return .failure(PublishRefusal(message: "sites: no site '\(site.prefix(60))'"))
            }
            guard access.canPublish(site: site) else {
                return .failure(
                    PublishRefusal(
                        message:
                            "you may not publish to \(site): administrators and regional managers of its region do",
                        forbidden: true))
            }
        }
        guard
            let bytes = Data(
                base64Encoded: module.filter { !$0.isWhitespace }, options: .ignoreUnknownCharacters),
            !bytes.isEmpty
        else {
            return .failure(PublishRefusal(message: "module: not base64 of a .wasm file"))
        }
        do {
            let release = try await ExtensionPublishing.publish(
                module: bytes, signature: signature, sites: targets, by: access.user.name, at: clock(), store: store)
            return .success((release, targets))
        } catch let refusal as ExtensionPublishing.Refusal {
            return .failure(PublishRefusal(message: refusal.description))
        } catch {
            return .failure(PublishRefusal(message: "the store refused it: \(error)"))
        }
    }

    /// The regions whose sites this person may publish to, with those sites.
    func publishableRegions(_ access: Access) -> [(region: String, sites: [String])] {
        access.regions.compactMap { entry in
            let sites = entry.sites.map(\.id).filter { access.canPublish(site: $0) }
            return sites.isEmpty ? nil : (entry.region.id, sites)
        }
    }

    /// Every visible site's extensions: those it runs and those published to it.
    func extensionRows(_ access: Access) async throws -> [ExtensionRow] {
        var rows: [ExtensionRow] = []
        for entry in access.regions {
            let states = try await states(entry.sites.map { (entry.region.id, $0) })
            for state in states {
                let site = state.site
                var running: [String: String] = [:]
                for text in state.names.extensions {
                    let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
                    if parts.count == 2 { running[parts[0]] = parts[1] }
                }
                let published = ExtensionPublishing.newest(try await store.extensionReleases(site: site))
                let ids = Set(running.keys).union(published.map(\.id)).sorted()
                for id in ids {
                    let release = published.first { $0.id == id }
                    rows.append(
                        ExtensionRow(
                            site: site, region: entry.region.id, id: id, running: running[id],
                            published: release?.version, publishedBy: release?.publishedBy,
                            publishedAt: release?.publishedAt))
                }
            }
        }
        return rows
    }
}
