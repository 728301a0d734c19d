import Foundation
import Testing
import WAT

@testable import TaktCentral
@testable import TaktCentralStore
@testable import TaktCore
@testable import TaktExtensions

extension DashboardTests {
    /// A minimal ABI 1 extension `test.probe` at `version` that judges nothing, with one passing test vector.
    static func probeModule(version: String) throws -> [UInt8] {
        let manifest =
            #"{"id":"test.probe","version":"\#(version)","abi":1,"slots":["check"],"checks":["site.probe"],"messages":[{"en":"probe"}],"tests":[{"check":"site.probe","value":1,"expect":[]}]}"#
        return try wat2wasm(
            """
            (module
              (memory (export "memory") 1)
              (data (i32.const 1024) "\(manifest.replacingOccurrences(of: "\"", with: "\\\""))")
              (func (export "takt_abi") (result i32) (i32.const 1))
              (func (export "takt_manifest") (result i64)
                (i64.or (i64.shl (i64.const 1024) (i64.const 32)) (i64.const \(manifest.utf8.count))))
              (func (export "takt_configure") (param i32) (param f64))
              (func (export "takt_judge") (param i32 f64 i64 i32 i32) (result i32) (i32.const 0))
              (func (export "takt_results") (result i32) (i32.const 4096)))
            """)
    }

    /// The Extensions page and API: what each site runs beside what is published to it; a regional manager
    /// publishes a signed module to their region; bad input and other people's regions are refused by name.
    @Test func extensionsArePublishedFromThePageAndTheAPI() async throws {
        let now = Date()
        let names = SiteNames(modules: ["food_processing"], extensions: ["leeds.sanitation 1.1.0"])
        let token = try await sendState("names", names, key: "current", at: now)
        let key = ExtensionSignature.newKey()
        @Sendable func publish(_ version: String, _ target: String) throws -> String {
            let module = try Self.probeModule(version: version)
            let signature = try ExtensionSignature.sign(Data(module), privateKey: key.privateKey)
            return #"{"module":"\#(Data(module).base64EncodedString())","signature":"\#(signature)",\#(target)}"#
        }
        try await withServer { url in
            let client = Browser(base: url)
            let auth = ["Authorization": "Bearer \(token)"]
            let refused: [(String, Int, String)] = [
                ("not json", 400, "send JSON"),
                (try publish("1.0.0", #""region":"apac""#), 403, "you may not publish to penang"),
                (try publish("1.0.0", #""region":"atlantis""#), 422, "no region 'atlantis'"),
                (try publish("1.0.0", #""sites":[]"#), 422, "name the sites or the region"),
                (#"{"module":"%%%","signature":"x","region":"uk-north"}"#, 422, "not base64"),
                (#"{"module":"aGVsbG8=","signature":"eA==","region":"uk-north"}"#, 422, "not a WebAssembly module"),
            ]
            for (body, status, text) in refused {
                let reply = try await client.request("POST", "/v1/extensions", headers: auth, body: body)
                #expect(reply.status == status && reply.body.contains(text), "\(body.prefix(80)): \(reply.body)")
            }
            #expect(try await store.extensionReleases(site: "leeds").isEmpty)
            let good = try await client.request(
                "POST", "/v1/extensions", headers: auth, body: try publish("1.2.0", #""region":"uk-north""#))
            #expect(good.status == 201 && good.body.contains("1.2.0"), "\(good.body)")
            let again = try await client.request(
                "POST", "/v1/extensions", headers: auth, body: try publish("1.2.0", #""sites":["leeds"]"#))
            #expect(again.status == 422 && again.body.contains("versions never go backwards"), "\(again.body)")

            let listed = try await client.request("GET", "/v1/extensions", headers: auth)
            #expect(listed.status == 200)
            let rows = try #require(
                try JSONSerialization.jsonObject(with: Data(listed.body.utf8)) as? [[String: Any]])
            let states = rows.map { "\($0["site"] ?? "") \($0["id"] ?? "") \($0["state"] ?? "")" }
            #expect(states == ["leeds leeds.sanitation local", "leeds test.probe waiting"], "\(listed.body)")

            let browser = Browser(base: url)
            try await browser.logIn("rm")
            let page = try await browser.request("GET", "/extensions")
            #expect(page.status == 200 && page.body.contains("waiting for the site"))
            #expect(page.body.contains("id=\"publish-extension\"") && !page.body.contains("value=\"penang\""))
            // The form's script comes from central, never inline, so the CSP can forbid inline scripts.
            #expect(page.body.contains("<script src=\"/extensions.js\"></script>") && !page.body.contains("<script>"))
            #expect(page.headers["content-security-policy"]?.contains("script-src 'self'") == true)
            let script = try await browser.request("GET", "/extensions.js")
            #expect(script.status == 200 && script.body.contains("readAsArrayBuffer"))
            #expect(script.headers["content-type"]?.hasPrefix("text/javascript") == true)
            let module = try Self.probeModule(version: "1.3.0")
            let form = try await browser.request(
                "POST", "/extensions",
                form: [
                    "csrf": [browser.csrf(in: page.body)], "module": [Data(module).base64EncodedString()],
                    "signature": [try ExtensionSignature.sign(Data(module), privateKey: key.privateKey)],
                    "site": ["leeds"],
                ])
            #expect(form.status == 303, "\(form.body)")
            #expect(try await store.extensionReleases(site: "leeds").map(\.version).sorted() == ["1.2.0", "1.3.0"])

            // A site manager sees the page, without the form, and may not publish.
            let manager = Browser(base: url)
            try await manager.logIn("sm")
            let their = try await manager.request("GET", "/extensions")
            #expect(their.status == 200 && !their.body.contains("publish-extension"))
            let denied = try await manager.request(
                "POST", "/extensions",
                form: [
                    "csrf": [manager.csrf(in: their.body)], "module": [Data(module).base64EncodedString()],
                    "signature": ["eA=="], "site": ["penang"],
                ])
            #expect(denied.status == 403 && denied.body.contains("you may not publish to penang"))
        }
    }
}
