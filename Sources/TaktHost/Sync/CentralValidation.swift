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

    /// What a problem in the document a person typed on central's page is said to be in: its lines are the
    /// document's own.
    public static let documentName = "your document"

    /// Nil when `document` may be published for `site`; otherwise why not, in the validator's words, each problem
    /// in the document named by its own line (`your document:3: rules.limits[0].max: …`).
    public func validate(_ site: String, _ document: String) -> String? {
        switch load(site, document) {
        case .success: return nil
        case .failure(let refusal): return refusal.text
        }
    }

    /// The checks `site` runs with `document` as its configuration from central (empty: none), with their limits
    /// in force: what a regional manager can tighten. Nil when the site or the document does not load.
    public func checks(_ site: String, _ document: String) -> [CheckDefinition]? {
        guard case .success(let definition) = load(site, document) else { return nil }
        return definition.rules.checks
    }

    func load(_ site: String, _ document: String) -> Result<SiteDefinition, Refusal> {
        guard let siteFile = siteFiles[site] else {
            return .failure(Refusal("central.yaml names no site_file for \(site), so the document cannot be validated"))
        }
        let file = SiteLoader.configurationFile(for: path(siteFile))
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            return .failure(Refusal("\(file): cannot read"))
        }
        let blank = document.allSatisfy(\.isWhitespace)
        do {
            return .success(
                try SiteLoader(registry: registry).load(
                    text: text, file: file, overlay: blank ? nil : (document, Self.documentName)))
        } catch {
            return .failure(Refusal("\(error)"))
        }
    }

    /// Why a document was refused.
    struct Refusal: Error {
        var text: String
        init(_ text: String) { self.text = text }
    }
}
