import HTTPTypes
import Hummingbird

/// Headers on every answer of central and the site app: no MIME sniffing, no referrer leaving the page, no caching of data pages, and
/// HSTS when central is served over TLS.
public struct SecurityHeaders<Context: RequestContext>: RouterMiddleware {
    let secure: Bool

    public init(secure: Bool) { self.secure = secure }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if secure { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }
}

extension HTTPField.Name {
    /// `Referrer-Policy`, which HTTPTypes does not name.
    public static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
