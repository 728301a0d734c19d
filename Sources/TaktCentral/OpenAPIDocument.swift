import Foundation

/// The OpenAPI 3 description of central's JSON API, served at `/openapi.yaml` (the file `openapi.yaml` beside
/// this one).
enum OpenAPIDocument {
    static let text: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return "openapi: 3.0.3\ninfo: {title: Takt central, version: '1'}\npaths: {}\n" }
        return text
    }()
}
