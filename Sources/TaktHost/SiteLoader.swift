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

    /// The file beside `site.yaml` that holds the configuration central pushed, if any.
    public static func pushedConfigurationFile(for path: String) -> String {
        URL(fileURLWithPath: configurationFile(for: path)).deletingLastPathComponent()
            .appendingPathComponent("central-config.yaml").path
    }

    /// Reads and loads the site at `path` (a folder holding `site.yaml`, or the file itself), with the
    /// configuration central pushed (`central-config.yaml` beside it) when there is one.
    public func load(path: String) throws(HostError) -> SiteDefinition {
        let file = Self.configurationFile(for: path)
        let pushed = Self.pushedConfigurationFile(for: path)
        let overlay =
            FileManager.default.fileExists(atPath: pushed) ? try? String(contentsOfFile: pushed, encoding: .utf8) : nil
        guard FileManager.default.fileExists(atPath: file) else {
            throw .cannotRead(path: file, reason: "no such file (give a site folder holding site.yaml, or the file)")
        }
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw .cannotRead(path: file, reason: (error as NSError).localizedDescription)
        }
        return try load(text: text, file: file, overlay: overlay.map { (text: $0, file: pushed) })
    }

    /// Loads a site from the text of its `site.yaml`; `file` names it in messages. `overlay` is configuration
    /// central pushed: YAML with a `rules:` section whose lists are added to the site's own.
    public func load(text: String, file: String, overlay: (text: String, file: String)? = nil) throws(HostError)
        -> SiteDefinition
    {
        var root = try StrictYAML.compose(text, file: file)
        var origin: OverlayOrigin?
        if let overlay { (root, origin) = try Self.merge(overlay: overlay, into: root) }
        guard case .mapping(let mapping) = root else {
            // (a site.yaml that is not a mapping)
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
        var builder = SiteBuilder(configuration: configuration, root: root, file: file, overlay: origin)
        builder.problems += unknownKeys
        builder.checkBasics()
        builder.loadModules(moduleNode, registry: registry)
        builder.addDeclarativeRules()
        builder.loadInstruments()
        builder.loadMaterials()
        builder.loadMaintenancePlans()
        builder.loadCharts()
        builder.loadAlerts()
        builder.loadPeople()
        builder.loadCosts()
        builder.loadExtensions()
        builder.reviewModules()
        guard builder.problems.isEmpty else { throw .invalidSite(builder.problems) }
        return builder.definition
    }
}

extension SiteLoader {
    /// Adds the lists under the overlay's `rules:` to the site's `rules:`, and says where in each list the
    /// overlay's entries begin. The overlay may hold only `version` and `rules`.
    static func merge(overlay: (text: String, file: String), into root: Node) throws(HostError) -> (
        Node, OverlayOrigin
    ) {
        let node = try StrictYAML.compose(overlay.text, file: overlay.file)
        guard case .mapping(let extra) = node, case .mapping(var base) = root else {
            throw .invalidSite([
                ConfigurationProblem(file: overlay.file, line: 1, path: "", message: "expected a mapping with rules:")
            ])
        }
        for (key, _) in extra where key.string != "rules" && key.string != "version" {
            throw .invalidSite([
                ConfigurationProblem(
                    file: overlay.file, line: key.mark?.line, path: key.string ?? "",
                    message: "configuration from central may hold only version and rules")
            ])
        }
        var origin = OverlayOrigin(file: overlay.file)
        guard let rules = extra[Node("rules")]?.mapping else { return (root, origin) }
        let unknown = try StrictYAML.decode(
            RulesSpec.self, from: .mapping(rules), file: overlay.file, prefix: ["rules"]
        ).unknownKeys
        if !unknown.isEmpty { throw .invalidSite(unknown) }
        var merged = base[Node("rules")]?.mapping ?? Node.Mapping([])
        for (key, value) in rules {
            let existing = merged[key]?.sequence.map { Array($0) } ?? []
            let added = value.sequence.map { Array($0) } ?? []
            if let name = key.string { origin.firstIndex[name] = existing.count }
            merged[key] = .sequence(Node.Sequence(existing + added))
        }
        base[Node("rules")] = .mapping(merged)
        return (.mapping(base), origin)
    }
}

/// Where the entries of configuration from central begin in the merged `rules:` lists, so a problem in one of
/// them names that document and its own line, not `site.yaml`.
struct OverlayOrigin {
    var file: String
    /// For each list under `rules:` (`limits`), the index of its first entry from the overlay.
    var firstIndex: [String: Int] = [:]

    /// The path of the node at `path` (`["rules", "limits", 2, "max"]`) in the overlay's own lists
    /// (`["rules", "limits", 0, "max"]`), or nil when it came from the site's file.
    func ownPath(_ path: [Any]) -> [Any]? {
        guard path.count >= 3, path[0] as? String == "rules", let list = path[1] as? String,
            let index = path[2] as? Int, let first = firstIndex[list], index >= first
        else { return nil }
        var own = path
        own[2] = index - first
        return own
    }
}
