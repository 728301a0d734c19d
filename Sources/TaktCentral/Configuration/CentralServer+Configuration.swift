import Foundation
import Hummingbird
import TaktCentralStore
import TaktCore
import TaktWeb

/// The configuration page: pick a limit to tighten, write the rules, review what will change at which sites, then
/// publish; every site's versions with their diffs, who published them, where they run, and a rollback.
extension CentralServer {
    func addConfiguration(to router: Router<CentralContext>) {
        router.get("/config") { request, _ in
            try await self.withSession(request) { session in
                try await self.configPage(session, form: ConfigurationForm())
            }
        }
        router.post("/config") { request, _ in try await self.configAction(request) }
        router.get("/v1/sites/:site/config-versions") { request, context in
            let site = try context.parameters.require("site")
            return try await self.withSite(request, site) { entry in
                let running = try await self.store.contact(site: entry.site.id)?.configRunning ?? 0
                let versions = try await self.store.configHistory(site: entry.site.id)
                return Self.json(.ok, APIConfiguration(site: entry.site.id, running: running, versions: versions))
            }
        }
    }

    /// What a person has typed and chosen on the configuration page, kept across a refusal or a review.
    struct ConfigurationForm: Sendable {
        var sites: [String] = []
        var document = ""
        var message: String?
        var error: String?
    }

    /// The sites `session` may publish to, with their versions and the checks they run now.
    func publishable(_ session: Session) async throws -> [Dashboard.ConfigurationSite] {
        var sites: [Dashboard.ConfigurationSite] = []
        for entry in configuration.sites where session.access.canPublish(site: entry.site.id) {
            let versions = try await store.configHistory(site: entry.site.id)
            sites.append(
                .init(
                    id: entry.site.id, name: entry.site.name ?? entry.site.id,
                    running: try await store.contact(site: entry.site.id)?.configRunning ?? 0, versions: versions,
                    checks: checks(entry.site.id, versions.first?.document ?? "") ?? [], zone: zone(entry.site.id)))
        }
        return sites
    }

    func configPage(_ session: Session, form: ConfigurationForm, status: HTTPResponse.Status = .ok) async throws
        -> Response
    {
        let sites = try await publishable(session)
        if sites.isEmpty {
            return Self.html(
                .forbidden,
                Dashboard.page(
                    title: "Configuration", user: session.access.user.name, csrf: session.csrf,
                    body: "<p class=\"error\">Your role may not publish configuration.</p>"))
        }
        return Self.html(
            status,
            Dashboard.page(
                title: "Configuration", user: session.access.user.name, csrf: session.csrf,
                body: Dashboard.configPage(sites: sites, csrf: session.csrf, form: form)))
    }

    /// One step of the page's flow, by the form's `action`: `pick` adds a limit to the document, `review` (the
    /// default) validates it and shows what will change, `publish` publishes it, `rollback` reviews an old
    /// version's document as the next version, `edit` goes back to the form.
    func configAction(_ request: Request) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/login") }
        let fields: [String: [String]]
        do { fields = try await form(request, limit: 1024 * 1024) } catch { return Self.refusal(error) }
        guard Credentials.same(fields["csrf"]?.first, session.csrf) else { return Self.csrfRefusal() }
        var form = ConfigurationForm(
            sites: fields["site"] ?? [],
            document: (fields["document"]?.first ?? "").replacingOccurrences(of: "\r\n", with: "\n"))
        for site in form.sites where !session.access.canPublish(site: site) {
            return Self.html(
                .forbidden,
                Dashboard.page(
                    title: "Refused", user: session.access.user.name, csrf: session.csrf,
                    body:
                        "<p class=\"error\">You may not change site \(Dashboard.escape(site)). Nothing was published.</p>"
                ))
        }
        switch fields["action"]?.first ?? "review" {
        case "edit":
            return try await configPage(session, form: form)
        case "pick":
            return try await pick(session, form: form, fields: fields)
        case "rollback":
            return try await rollback(session, fields: fields)
        case "review", "publish":
            guard !form.sites.isEmpty else {
                form.error = "Choose at least one site."
                return try await configPage(session, form: form, status: .badRequest)
            }
            var problems: [String] = []
            for site in form.sites {
                if let refusal = validate(site, form.document) { problems.append("\(site): \(refusal)") }
            }
            guard problems.isEmpty else {
                form.error = "Refused, nothing published:\n" + problems.joined(separator: "\n")
                return try await configPage(session, form: form, status: .unprocessableContent)
            }
            if fields["action"]?.first == "publish" { return try await publish(session, form: form) }
            return try await review(session, form: form, note: fields["note"]?.first)
        case let other:
            form.error = "No action '\(other.prefix(40))' on this page."
            return try await configPage(session, form: form, status: .badRequest)
        }
    }

    /// Adds the picked limit to the document and shows the form again, with the sites still chosen.
    func pick(_ session: Session, form: ConfigurationForm, fields: [String: [String]]) async throws -> Response {
        var form = form
        let rule = fields["rule"]?.first ?? ""
        let sites = try await publishable(session)
        guard sites.contains(where: { $0.checks.contains { $0.id.rawValue == rule && Dashboard.tightenable($0) } })
        else {
            form.error = "Choose a limit to tighten from the list."
            return try await configPage(session, form: form, status: .badRequest)
        }
        do throws(LimitPicker.Problem) {
            form.document = try LimitPicker.add(
                rule: rule, min: fields["min"]?.first ?? "", max: fields["max"]?.first ?? "", to: form.document)
        } catch {
            form.error = error.description
            return try await configPage(session, form: form, status: .badRequest)
        }
        form.message = "Added a limit for \(rule). Review it before publishing."
        return try await configPage(session, form: form)
    }

    /// Reviews an old version's document as the next version of its site (a rollback never rewrites history).
    func rollback(_ session: Session, fields: [String: [String]]) async throws -> Response {
        let site = fields["site"]?.first ?? ""
        guard let wanted = fields["version"]?.first.flatMap({ Int($0) }),
            let old = try await store.configHistory(site: site).first(where: { $0.version == wanted })
        else {
            return try await configPage(
                session, form: ConfigurationForm(error: "No such version of \(site.prefix(60)) to roll back to."),
                status: .badRequest)
        }
        let form = ConfigurationForm(sites: [site], document: old.document)
        if let refusal = validate(site, old.document) {
            var refused = form
            refused.error = "Version \(wanted) no longer validates, so it cannot be rolled back to:\n\(refusal)"
            return try await configPage(session, form: refused, status: .unprocessableContent)
        }
        return try await review(session, form: form, note: "Rolls \(site) back to the rules of version \(wanted).")
    }

    /// The confirmation step: for each chosen site, the version it will get, the limits that change and the diff
    /// of the document from the one published now.
    func review(_ session: Session, form: ConfigurationForm, note: String?) async throws -> Response {
        let sites = try await publishable(session).filter { form.sites.contains($0.id) }
        let changes = sites.map { site in
            (site: site, checks: checks(site.id, form.document) ?? [])
        }
        return Self.html(
            Dashboard.page(
                title: "Review configuration", user: session.access.user.name, csrf: session.csrf,
                body: Dashboard.configReview(changes, document: form.document, csrf: session.csrf, note: note)))
    }

    func publish(_ session: Session, form: ConfigurationForm) async throws -> Response {
        var published: [String] = []
        for site in form.sites {
            let version = try await store.publish(
                site: site, document: form.document, by: session.access.user.name, at: clock())
            published.append("\(site) v\(version)")
        }
        return try await configPage(
            session, form: ConfigurationForm(message: "Published: " + published.joined(separator: ", ")))
    }
}

/// A site's configuration versions in the JSON API.
struct APIConfiguration: Encodable {
    struct Version: Encodable {
        var version: Int
        var publishedAt: Date
        var publishedBy: String
        /// `running`, `superseded` (older than the version running) or `pending` (not applied yet).
        var status: String
        var document: String
    }

    var site: String
    /// The version the site last said it runs (0: none).
    var running: Int
    var versions: [Version]

    init(site: String, running: Int, versions: [ConfigVersion]) {
        self.site = site
        self.running = running
        self.versions = versions.map {
            Version(
                version: $0.version, publishedAt: $0.publishedAt, publishedBy: $0.publishedBy,
                status: Dashboard.versionStatus($0.version, running: running).rawValue, document: $0.document)
        }
    }
}
