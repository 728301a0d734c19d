import Foundation
import TaktCore

/// Validates a configuration document that central is about to publish against the site's own `site.yaml`,
/// exactly as the site will when it installs it, with the same module registry.
public struct CentralValidation: Sendable {
    /// Each site id with the site folder (or `site.yaml`) central.yaml names for it; relative to `base`.
    public let siteFiles: [String: String]
    public let base: URL
    public let registry: ModuleRegistry

    public init(siteFiles: [String: String], base: URL, registry: ModuleRegistry) {
        self.siteFiles = siteFiles
        self.base = base
        self.registry = registry
    }

    func path(_ siteFile: String) -> String {
        siteFile.hasPrefix("/") ? siteFile : base.appendingPathComponent(siteFile).path
    }

    /// Each site's time zone, read from its site file where one is named.
    public func timeZones() -> [String: TimeZone] {
        var zones: [String: TimeZone] = [:]
        for (site, siteFile) in siteFiles {
            if let definition = try? SiteLoader(registry: registry).load(path: path(siteFile)) {
                zones[site] = definition.timeZone
            }
        }
        return zones
    }

    /// Nil when `document` may be published for `site`; otherwise why not, in the validator's words.
    public func validate(_ site: String, _ document: String) -> String? {
        guard let siteFile = siteFiles[site] else {
            return "central.yaml names no site_file for \(site), so the document cannot be validated"
        }
        let file = SiteLoader.configurationFile(for: path(siteFile))
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return "\(file): cannot read" }
        do {
            _ = try SiteLoader(registry: registry).load(
                text: text, file: file, overlay: ("version: 0\n" + document, "published document"))
            return nil
        } catch {
            return "\(error)"
        }
    }
}
