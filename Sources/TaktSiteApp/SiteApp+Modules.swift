import Foundation
import Hummingbird
import TaktCore
import TaktHost
import TaktStore
import TaktWeb

/// The pages modules add (the reels of an electronics site), built from the modules' commands.
extension SiteApp {
    func addModulePages(to router: Router<WebContext>) {
        router.get("/modules/:page") { request, context in
            try await self.withSession(request) { session in
                guard let page = self.pages.first(where: { $0.id == context.parameters.get("page") }) else {
                    return self.page(
                        session, status: .notFound, title: session.texts("app.title"),
                        body: session.texts("error.not_found"))
                }
                var values: [String: String] = [:]
                for argument in page.view.arguments {
                    if let value = request.uri.queryParameters[Substring(argument.name)], !value.isEmpty {
                        values[argument.name] = String(value)
                    }
                }
                return self.modulePage(page, values: values, session, notice: nil)
            }
        }
        router.post("/modules/:page/:action") { request, context in
            try await self.withSession(request) { session in
                try await self.allowed(.recordCheck, session) {
                    guard let page = self.pages.first(where: { $0.id == context.parameters.get("page") }),
                        let action = page.actions.first(where: { $0.name == context.parameters.get("action") })
                    else {
                        return self.page(
                            session, status: .notFound, title: session.texts("app.title"),
                            body: session.texts("error.not_found"))
                    }
                    return try await self.runAction(action, of: page, request, session)
                }
            }
        }
    }

    /// The page: the view's lines, a form for its arguments, and a form per action.
    func modulePage(_ page: ModulePage, values: [String: String], _ session: Session, notice: [String]?) -> Response {
        let locale = session.texts.locale
        var html = (notice ?? []).map { "<p class=\"notice\">\(escape($0))</p>" }.joined()
        if !page.view.arguments.isEmpty {
            html += "<form method=\"get\" action=\"/modules/\(escape(page.id))\" class=\"stack card\">"
            for argument in page.view.arguments {
                html +=
                    "<label>\(escape(page.label(argument.name, locale)))<input name=\"\(escape(argument.name))\" value=\"\(escape(values[argument.name] ?? ""))\" autofocus></label>"
            }
            html += "<button>\(escape(page.label(page.view.name, locale)))</button></form>"
        }
        do {
            let output = try page.view.run(input(values, locale), at: host)
            html += output.lines.map { "<div class=\"card\">\(escape($0))</div>" }.joined()
        } catch {
            html += "<p class=\"error\">\(escape("\(error)"))</p>"
        }
        for action in page.actions {
            html +=
                "<form method=\"post\" action=\"/modules/\(escape(page.id))/\(escape(action.name))\" class=\"stack card\">\(formFields(session))"
            var buttons = ""
            for argument in action.arguments where argument.name != "by" && argument.name != "at" {
                let label = escape(page.label(argument.name, locale))
                if !argument.choices.isEmpty {
                    buttons += argument.choices.map {
                        "<button name=\"\(escape(argument.name))\" value=\"\(escape($0))\">\(escape(page.label($0, locale)))</button> "
                    }.joined()
                } else {
                    html +=
                        "<label>\(label)<input name=\"\(escape(argument.name))\" value=\"\(escape(values[argument.name] ?? ""))\"\(argument.required ? " required" : "")></label>"
                }
            }
            html +=
                (buttons.isEmpty
                    ? "<button>\(escape(page.label(action.name, locale)))</button>" : "<div>\(buttons)</div>")
                + "</form>"
        }
        return self.page(session, title: page.title.text(locale), body: html)
    }

    func runAction(_ action: ModuleCommand, of page: ModulePage, _ request: Request, _ session: Session) async throws
        -> Response
    {
        let fields = try await form(request)
        guard Credentials.same(fields["csrf"], session.csrf) else { return csrfRefusal(session) }
        var values: [String: String] = [:]
        for argument in action.arguments {
            if let value = fields[argument.name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
                values[argument.name] = value
            }
        }
        // Whoever is signed in did it.
        if action.arguments.contains(where: { $0.name == "by" }) { values["by"] = session.user.staff }
        let locale = session.texts.locale
        let view = values.filter { key, _ in page.view.arguments.contains { $0.name == key } }
        return try once(fields, session, refused: { modulePage(page, values: view, session, notice: [$0]) }) {
            let output = try action.run(input(values, locale), at: host)
            return modulePage(page, values: view, session, notice: output.lines)
        }
    }

    func input(_ values: [String: String], _ locale: SiteLocale) -> CommandInput {
        CommandInput(values: values, timeZone: host.definition.timeZone, locale: locale)
    }
}
