import Foundation
import TaktWeb

extension Dashboard {
    /// The Extensions page: each site's rule extensions, the version it runs beside the newest published to it, and
    /// the publishing form for those who may publish (the module file is read in the browser into base64; without
    /// scripts, paste `base64 -w0 MODULE.wasm`).
    static func extensions(
        _ rows: [CentralServer.ExtensionRow], regions: [(region: String, sites: [String])], csrf: String,
        published: String?
    ) -> String {
        var html = "<h1>Extensions</h1>"
        if let published { html += "<p class=\"notice\" role=\"status\">Published \(escape(published)).</p>" }
        html += """
            <p>Sandboxed WebAssembly rule extensions (docs/extensions.md). A site installs a release when a key it \
            trusts verifies its signature and it still loads with it; until then it runs what it had.</p>
            """
        if rows.isEmpty {
            html += "<p>No site runs an extension, and none is published.</p>"
        } else {
            let states = ["current": "running it", "waiting": "waiting for the site", "local": "from site.yaml"]
            html += """
                <table id="extension-releases"><thead><tr><th scope="col">Site</th><th scope="col">Extension</th>\
                <th scope="col">Running</th><th scope="col">Published</th><th scope="col">By</th>\
                <th scope="col">State</th></tr></thead><tbody>
                """
            for row in rows {
                let mark = row.state == "waiting" ? " class=\"attention\"" : ""
                html +=
                    "<tr><td><a href=\"/sites/\(escape(row.site))\">\(escape(row.site))</a></td>"
                    + "<td>\(escape(row.id))</td><td>\(escape(row.running ?? "—"))</td>"
                    + "<td>\(escape(row.published ?? "—"))</td><td>\(escape(row.publishedBy ?? ""))</td>"
                    + "<td\(mark)>\(escape(states[row.state] ?? row.state))</td></tr>"
            }
            html += "</tbody></table>"
        }
        guard !regions.isEmpty else { return html }
        let regionOptions = regions.map { "<option value=\"\(escape($0.region))\">\(escape($0.region))</option>" }
        let siteBoxes = regions.flatMap(\.sites).map {
            "<label><input type=\"checkbox\" name=\"site\" value=\"\(escape($0))\"> \(escape($0))</label>"
        }
        html += """
            <h2>Publish</h2>
            <form method="post" action="/extensions" id="publish-extension">
            <input type="hidden" name="csrf" value="\(escape(csrf))">
            <p><label>Module (.wasm) <input type="file" id="module-file" accept=".wasm"></label>
            <label>Signature (.sig) <input type="file" id="signature-file" accept=".sig"></label></p>
            <p><label>Module, base64 <textarea name="module" id="module" rows="3" cols="60" required></textarea></label></p>
            <p><label>Signature, base64 <input name="signature" id="signature" size="60" required></label></p>
            <p><label>Region <select name="region"><option value="">—</option>\(regionOptions.joined())</select></label>
            or sites: \(siteBoxes.joined(separator: " "))</p>
            <p><button>Publish</button></p>
            </form>
            <script src="/extensions.js"></script>
            """
        return html
    }

    /// The Publish form's one script, served as `/extensions.js` so the pages' Content-Security-Policy can
    /// allow scripts from central only (`script-src 'self'`), never inline: it reads a chosen `.wasm` file into
    /// the base64 field and a `.sig` file into the signature field. Without it, paste `base64 -w0 module.wasm`.
    static let extensionsScript = """
        function readInto(input, target, binary) {
          document.getElementById(input).addEventListener('change', function (event) {
            var file = event.target.files[0]; if (!file) return;
            var reader = new FileReader();
            reader.onload = function () {
              if (binary) {
                var bytes = new Uint8Array(reader.result), text = '';
                for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
                document.getElementById(target).value = btoa(text);
              } else { document.getElementById(target).value = reader.result.trim(); }
            };
            if (binary) reader.readAsArrayBuffer(file); else reader.readAsText(file);
          });
        }
        readInto('module-file', 'module', true); readInto('signature-file', 'signature', false);
        """
}
