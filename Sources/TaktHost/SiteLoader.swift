import Foundation
import TaktCore
import Yams

/// Loads `sites/<id>/site.yaml` into a checked `SiteDefinition`: decode, check references, run every named
/// module through its life cycle, then add the site's own rules and tighter limits.
///
/// All problems found are reported together, each with file, line and key path; a site with any problem does
/// not load.
public struct SiteLoader: Sendable {
    public let registry: ModuleRegistry

    public init(registry: ModuleRegistry) {
        self.registry = registry
    }

    /// The `site.yaml` path for `path`, which may name the file or the site folder holding it.
    public static func configurationFile(for path: String) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return URL(fileURLWithPath: path).appendingPathComponent("site.yaml").path
        }
        return path
    }

    /// Reads and loads the site at `path` (a folder holding `site.yaml`, or the file itself).
    public func load(path: String) throws(HostError) -> SiteDefinition {
        let file = Self.configurationFile(for: path)
        guard FileManager.default.fileExists(atPath: file) else {
            throw .cannotRead(path: file, reason: "no such file (give a site folder holding site.yaml, or the file)")
        }
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw .cannotRead(path: file, reason: (error as NSError).localizedDescription)
        }
        return try load(text: text, file: file)
    }

    /// Loads a site from the text of its `site.yaml`; `file` names it in messages.
    public func load(text: String, file: String) throws(HostError) -> SiteDefinition {
        let root = try StrictYAML.compose(text, file: file)
        guard case .mapping(let mapping) = root else {
            throw .invalidSite([
                ConfigurationProblem(
                    file: file, line: root.mark?.line, path: "", message: "expected a mapping with a 'site:' section")
            ])
        }
        // Each module decodes its own block, so the site's configuration type never sees `modules:`.
        let moduleNode = mapping[Node("modules")]
        let rest = Node.Mapping(mapping.filter { $0.key != Node("modules") }, mapping.tag, mapping.style, mapping.mark)
        let (configuration, unknownKeys) = try StrictYAML.decode(
            SiteConfiguration.self, from: .mapping(rest), file: file)
        var builder = SiteBuilder(configuration: configuration, root: root, file: file)
        builder.problems += unknownKeys
        builder.checkBasics()
        builder.loadModules(moduleNode, registry: registry)
        builder.addDeclarativeRules()
        builder.reviewModules()
        guard builder.problems.isEmpty else { throw .invalidSite(builder.problems) }
        return builder.definition
    }
}
