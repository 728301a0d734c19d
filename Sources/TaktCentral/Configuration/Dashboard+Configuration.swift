import Foundation
import TaktCentralStore
import TaktCore

/// The configuration page and its review step.
extension Dashboard {
    /// A site a person may publish to, as the configuration page shows it.
    struct ConfigurationSite: Sendable {
        var id: String
        var name: String
        /// The version the site last said it runs (0: none).
        var running: Int
        /// Newest first.
        var versions: [ConfigVersion]
        /// The checks it runs under the newest published version, with their limits in force.
        var checks: [CheckDefinition]
        var zone: TimeZone

        var published: Int { versions.first?.version ?? 0 }
    }

    /// Where a version stands at its site.
    enum VersionStatus: String {
        case running, superseded, pending

        var words: String {
            switch self {
            case .running: return "running"
            case .superseded: return "superseded"
            case .pending: return "not applied yet"
            }
        }
    }

    static func versionStatus(_ version: Int, running: Int) -> VersionStatus {
        version == running ? .running : version < running ? .superseded : .pending
    }

    /// A check's limits for people: `max 5 °C`, `min 75 °C, max 90 °C`.
    static func limits(_ check: CheckDefinition) -> String {
        var parts: [String] = []
        if let min = check.limits.min { parts.append("min \(CriticalLimits.format(min)) \(check.unit)") }
        if let max = check.limits.max { parts.append("max \(CriticalLimits.format(max)) \(check.unit)") }
        return parts.isEmpty ? "no limit" : parts.joined(separator: ", ")
    }

    /// Whether a check has a numeric limit to tighten (a pass/fail test or a check judged another way has none).
    static func tightenable(_ check: CheckDefinition) -> Bool {
        !check.isPassFail && (check.limits.min != nil || check.limits.max != nil)
    }

    static func configPage(sites: [ConfigurationSite], csrf: String, form: CentralServer.ConfigurationForm) -> String {
        var html = "<h1>Configuration</h1>"
        if let message = form.message { html += "<p class=\"ok\" id=\"message\">\(escape(message))</p>" }
        if let error = form.error { html += "<p class=\"error\" id=\"refusal\">\(escape(error))</p>" }
        html +=
            "<div class=\"scroll\"><table id=\"versions\"><tr><th>Site</th><th>Running</th><th>Published</th><th></th></tr>"
        for site in sites {
            html +=
                "<tr><td>\(escape(site.name))</td><td>\(site.running)</td><td>\(site.published)\(site.published > site.running ? " (not applied yet)" : "")</td>"
                + "<td><a href=\"#history-\(escape(site.id))\">History</a></td></tr>"
        }
        html += "</table></div>"
        html += picker(sites, csrf: csrf, form: form)
        html +=
            "<h2 id=\"publish\">Publish a change</h2><form class=\"stack\" method=\"post\" action=\"/config\">"
            + "<input type=\"hidden\" name=\"csrf\" value=\"\(csrf)\">" + siteChoice(sites, chosen: form.sites)
        html +=
            "<label>Rules for these sites (YAML, a <code>rules:</code> section; it replaces what central published before)<textarea name=\"document\">\(escape(form.document))</textarea></label>"
        html +=
            "<button name=\"action\" value=\"review\">Review the change</button><p class=\"muted\">Next you see what will change at each site; nothing is published until you confirm. A document any chosen site would not validate is refused for all of them, with the line of your document at fault.</p></form>"
        html += "<h2>History</h2>"
        for site in sites { html += history(site, csrf: csrf) }
        return html
    }

    /// The sites to publish to, as check boxes, those chosen before still ticked.
    static func siteChoice(_ sites: [ConfigurationSite], chosen: [String]) -> String {
        "<fieldset><legend>For these sites</legend>"
            + sites.map { site -> String in
                let ticked = chosen.contains(site.id) ? " checked" : ""
                return
                    "<label><input type=\"checkbox\" name=\"site\" value=\"\(escape(site.id))\"\(ticked)> \(escape(site.name))</label><br>"
            }.joined() + "</fieldset>"
    }

    /// The limits that can be tightened, with each site's value in force, and a form that adds the chosen one to
    /// the document.
    static func picker(_ sites: [ConfigurationSite], csrf: String, form: CentralServer.ConfigurationForm) -> String {
        var rules: [(id: String, name: String, unit: String)] = []
        for site in sites {
            for check in site.checks where tightenable(check) && !rules.contains(where: { $0.id == check.id.rawValue })
            {
                rules.append((check.id.rawValue, check.name, check.unit))
            }
        }
        rules.sort { $0.name < $1.name }
        guard !rules.isEmpty else { return "" }
        var html =
            "<h2>Limits you can tighten</h2><p class=\"muted\">In force at each site now (the law's, the module's or the site's own, whichever is tighter). A site may tighten a limit, never loosen it.</p>"
            + "<div class=\"scroll\"><table id=\"limits\"><tr><th>Rule</th>"
            + sites.map { "<th>\(escape($0.name))</th>" }.joined() + "</tr>"
        for rule in rules {
            html += "<tr><td>\(escape(rule.name)) <span class=\"muted\">\(escape(rule.id))</span></td>"
            for site in sites {
                html += "<td>\(site.checks.first { $0.id.rawValue == rule.id }.map { escape(limits($0)) } ?? "—")</td>"
            }
            html += "</tr>"
        }
        html += "</table></div>"
        html +=
            "<form class=\"stack\" method=\"post\" action=\"/config#publish\" id=\"picker\"><input type=\"hidden\" name=\"csrf\" value=\"\(csrf)\">"
            + "<input type=\"hidden\" name=\"document\" value=\"\(escape(form.document))\">"
            + form.sites.map { "<input type=\"hidden\" name=\"site\" value=\"\(escape($0))\">" }.joined()
            + "<label>Limit <select name=\"rule\">"
            + rules.map { "<option value=\"\(escape($0.id))\">\(escape($0.name)) (\(escape($0.unit)))</option>" }
            .joined() + "</select></label>"
            + "<label>New minimum <input name=\"min\" inputmode=\"decimal\"></label><label>New maximum <input name=\"max\" inputmode=\"decimal\"></label>"
            + "<button name=\"action\" value=\"pick\">Add to the document</button></form>"
        return html
    }

    /// A site's versions, newest first: when, by whom, where it runs, the change from the version before, and a
    /// rollback to it (as a new version).
    static func history(_ site: ConfigurationSite, csrf: String) -> String {
        var html =
            "<details id=\"history-\(escape(site.id))\"\(site.versions.isEmpty ? "" : " open")><summary>\(escape(site.name)): \(site.versions.count) version(s), running \(site.running)</summary>"
        if site.versions.isEmpty { return html + "<p>Nothing published yet.</p></details>" }
        html +=
            "<div class=\"scroll\"><table class=\"history\"><tr><th>Version</th><th>Published</th><th>By</th><th>At the site</th><th>Change</th><th></th></tr>"
        for (index, version) in site.versions.enumerated() {
            let before = index + 1 < site.versions.count ? site.versions[index + 1].document : ""
            let status = versionStatus(version.version, running: site.running)
            let rollback =
                index == 0
                ? ""
                : "<form method=\"post\" action=\"/config\"><input type=\"hidden\" name=\"csrf\" value=\"\(csrf)\"><input type=\"hidden\" name=\"site\" value=\"\(escape(site.id))\"><input type=\"hidden\" name=\"version\" value=\"\(version.version)\"><button name=\"action\" value=\"rollback\">Roll back to this</button></form>"
            html +=
                "<tr id=\"version-\(escape(site.id))-\(version.version)\"><td>\(version.version)</td><td>\(time(version.publishedAt, site.zone))</td><td>\(escape(version.publishedBy))</td>"
                + "<td><span class=\"status-\(status.rawValue)\">\(status.words)</span></td><td><details><summary>Diff from \(index + 1 < site.versions.count ? "version \(site.versions[index + 1].version)" : "nothing")</summary>\(LineDiff(from: before, to: version.document).html)</details></td><td>\(rollback)</td></tr>"
        }
        return html + "</table></div></details>"
    }

    /// The confirmation step: what each site gets, the limits that change there, the diff of the document; then
    /// publish or go back with everything kept.
    static func configReview(
        _ changes: [(site: ConfigurationSite, checks: [CheckDefinition])], document: String, csrf: String,
        note: String?
    ) -> String {
        var html = "<h1>Review the change</h1>"
        if let note { html += "<p class=\"ok\">\(escape(note))</p>" }
        for change in changes {
            let site = change.site
            html +=
                "<section class=\"review\" id=\"review-\(escape(site.id))\"><h2>\(escape(site.name)): version \(site.published + 1)</h2><p class=\"muted\">Runs version \(site.running) now; the newest published is \(site.published).</p>"
            var lines: [String] = []
            for check in change.checks {
                let old = site.checks.first { $0.id == check.id }
                if old == nil {
                    lines.append("New: \(check.name), \(limits(check))")
                } else if let old, old.limits != check.limits {
                    lines.append("\(check.name): \(limits(old)) → \(limits(check))")
                }
            }
            for old in site.checks where !change.checks.contains(where: { $0.id == old.id }) {
                lines.append("No longer checked: \(old.name)")
            }
            html +=
                lines.isEmpty
                ? "<p>No limit changes at this site.</p>"
                : "<ul class=\"limit-changes\">" + lines.map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
            let diff = LineDiff(from: site.versions.first?.document ?? "", to: document)
            html += diff.isEmpty ? "<p>The document is the same as the one published now.</p>" : diff.html
            html += "</section>"
        }
        let hidden =
            "<input type=\"hidden\" name=\"csrf\" value=\"\(csrf)\"><input type=\"hidden\" name=\"document\" value=\"\(escape(document))\">"
            + changes.map { "<input type=\"hidden\" name=\"site\" value=\"\(escape($0.site.id))\">" }.joined()
        html +=
            "<form method=\"post\" action=\"/config\" class=\"stack\" id=\"confirm\">\(hidden)"
            + "<button name=\"action\" value=\"publish\">Publish to \(changes.count) site(s)</button>"
            + "<button name=\"action\" value=\"edit\">Back to edit</button></form>"
        return html
    }
}
