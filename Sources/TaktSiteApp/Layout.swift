import Foundation
import Hummingbird
import TaktCore

/// HTML for the site app: large touch targets for gloved hands on a 10-inch tablet, one column on a phone, no
/// script needed.
extension SiteApp {
    static let style = """
        *{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2430;background:#f5f6f8;font-size:1.15rem}
        header{background:#1d2430;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.2rem;align-items:center}
        header a{color:#fff;font-weight:600;text-decoration:none;padding:.6rem 0}header .who{margin-left:auto;font-size:1rem}
        header form{display:inline}header button{min-height:2.6rem;background:none;border:1px solid #fff;color:#fff;padding:.2rem .8rem}
        main{padding:1rem;max-width:60rem;margin:auto}h1{font-size:1.6rem;margin:.4rem 0 1rem}
        a.big,button{display:inline-block;min-height:3.2rem;min-width:7rem;padding:.7rem 1.2rem;margin:.25rem 0;font-size:1.15rem;border-radius:8px;border:0;background:#2456c5;color:#fff;text-decoration:none;text-align:center}
        button.fail{background:#b3261e}button.pass{background:#1d7a36}
        .stack{display:flex;flex-direction:column;gap:.8rem;max-width:28rem}label{display:flex;flex-direction:column;gap:.3rem}
        input,select,textarea{font-size:1.2rem;min-height:3rem;padding:.5rem;border:1px solid #99a;border-radius:6px}
        .card{background:#fff;border-radius:10px;padding:.8rem 1rem;margin:.6rem 0;box-shadow:0 1px 2px #0002}
        .critical{border-left:8px solid #b3261e}.major{border-left:8px solid #d9822b}.minor,.info{border-left:8px solid #8a94a6}
        .error{color:#b3261e;font-weight:600}.notice{color:#1d4f91;font-weight:600}.overdue{color:#b3261e;font-weight:600}
        .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));gap:.6rem}
        @media (max-width:40rem){body{font-size:1.05rem}a.big,button{width:100%}}
        """

    func layout(_ texts: Texts, title: String, session: Session?, body: String) -> String {
        var nav = ""
        if let session {
            nav = """
                <a href="/">\(escape(texts("nav.stations")))</a><a href="/findings">\(escape(texts("nav.findings")))</a>
                <a href="/lots">\(escape(texts("nav.lots")))</a><a href="/materials">\(escape(texts("nav.materials")))</a><a href="/maintenance">\(escape(texts("nav.maintenance")))</a><a href="/quality">\(escape(texts("nav.quality")))</a><a href="/ncr">\(escape(texts("nav.ncr")))</a><a href="/alerts">\(escape(texts("nav.alerts")))</a><a href="/incidents">\(escape(texts("nav.incidents")))</a><a href="/production">\(escape(texts("nav.production")))</a>
                <a href="/plan">\(escape(texts("nav.plan")))</a><a href="/people">\(escape(texts("nav.people")))</a>\(session.user.role.may(.costs) ? "<a href=\"/costs\">\(escape(texts("nav.costs")))</a>" : "")
                \(pages.map { "<a href=\"/modules/\(escape($0.id))\">\(escape($0.title.text(texts.locale)))</a>" }.joined())\(session.user.role.may(.viewSync) ? "<a href=\"/sync\">\(escape(texts("nav.sync")))</a>" : "")
                <span class="who">\(escape(host.definition.staff[session.user.staff]?.name ?? session.user.staff)) · \(escape(texts("role.\(session.user.role.rawValue)")))</span>
                <form method="post" action="/logout"><input type="hidden" name="csrf" value="\(session.csrf)"><button>\(escape(texts("nav.sign_out")))</button></form>
                """
        }
        return """
            <!doctype html><html lang="\(texts.locale.rawValue)"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) · \(escape(host.definition.site.name))</title><style>\(Self.style)</style></head>
            <body><header><strong>\(escape(host.definition.site.name))</strong>\(nav)</header>
            <main><h1>\(escape(title))</h1>\(body)\(session.map { languages($0) } ?? "")</main>\(session == nil ? "" : "<script src=\"/app.js\"></script>")</body></html>
            """
    }

    func page(_ session: Session, status: HTTPResponse.Status = .ok, title: String, body: String) -> Response {
        Self.html(status, layout(session.texts, title: title, session: session, body: body))
    }

    static func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var response = Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
        response.headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; script-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'"
        return response
    }

    /// `<option>`s for `choices` (value and label), the one whose value is `selected` chosen.
    func options(_ choices: [(value: String, label: String)], selected: String? = nil) -> String {
        choices.map {
            "<option value=\"\(escape($0.value))\"\($0.value == selected ? " selected" : "")>\(escape($0.label))</option>"
        }.joined()
    }

    /// The site's work centres, products and people, as choices for a form.
    var workCentreChoices: [(value: String, label: String)] { host.definition.workCentres.map { ($0.id, $0.name) } }
    var productChoices: [(value: String, label: String)] {
        host.definition.products.values.sorted { $0.id < $1.id }.map { ($0.id, $0.name) }
    }
    var staffChoices: [(value: String, label: String)] {
        host.definition.staff.values.sorted { $0.id < $1.id }.map { ($0.id, $0.name) }
    }

    /// The language menu at the foot of every page: one button per language.
    func languages(_ session: Session) -> String {
        "<form method=\"post\" action=\"/language\" class=\"languages\"><input type=\"hidden\" name=\"csrf\" value=\"\(session.csrf)\">"
            + "\(escape(session.texts("language"))): "
            + SiteLocale.allCases.map { "<button name=\"locale\" value=\"\($0.rawValue)\">\(escape($0.name))</button>" }
            .joined(separator: " ")
            + "</form>"
    }

    /// The hidden fields every form carries: the session's CSRF token and a one-time id.
    func formFields(_ session: Session) -> String {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(session.csrf)\"><input type=\"hidden\" name=\"form_id\" value=\"\(UUID().uuidString)\">"
    }
}

/// Escapes text for HTML.
func escape(_ text: String) -> String { HTMLText.escape(text) }
