import TaktCore
import Yams

extension SiteBuilder {
    /// The phases of a module's life cycle, named in every problem it causes.
    enum Phase: String {
        case decode, validate, register, review
    }

    /// Runs each module named under `modules:` through decode → validate → register.
    mutating func loadModules(_ node: Node?, registry: ModuleRegistry) {
        guard let node, node.null == nil else { return }
        guard let mapping = node.mapping else {
            report("expected a mapping of module ids to their configuration", at: ["modules"])
            return
        }
        var loaded: [any SiteModule] = []
        for (keyNode, configurationNode) in mapping {
            let name = keyNode.string ?? "\(keyNode)"
            guard let id = try? ModuleID(validating: name), let module = registry.module(id) else {
                let known = registry.ids.map(\.rawValue)
                let hint = known.isEmpty ? "this build has no modules" : "available: " + known.joined(separator: ", ")
                problems.append(
                    ConfigurationProblem(
                        file: file, line: keyNode.mark?.line, path: "modules",
                        message: "unknown module '\(name)' (\(hint))"))
                continue
            }
            let block = configurationNode.null != nil ? Node.mapping(.init([])) : configurationNode
            if let instance = run(module, block: block) {
                loaded.append(instance)
            } else {
                failedModules.insert(id.rawValue)
            }
            definition.site.modules.append(id)
        }
        definition.recordKinds = registry.recordKinds(of: definition.site.modules)
        reviewed = loaded
    }

    /// The review phase: each loaded module checks the whole site, once the site's own rules are in too.
    mutating func reviewModules() {
        for module in reviewed {
            for advice in module.advice(site: definition) {
                warn("module \(type(of: module).id): \(advice.message)", at: Self.parse(advice.path))
            }
            do {
                try module.validate(site: definition)
            } catch {
                var path: [Any] = []
                var message = error.description
                if case .invalidConfiguration(let key, let text) = error {
                    path = Self.parse(key)
                    message = text
                }
                report("module \(type(of: module).id) (\(Phase.review.rawValue)): \(message)", at: path)
            }
        }
    }

    private mutating func run<M: SiteModule>(_ module: M.Type, block: Node) -> (any SiteModule)? {
        let base: [Any] = ["modules", M.id.rawValue]
        var found: [ConfigurationProblem] = []
        var decoded: M.Configuration?
        do {
            let result = try StrictYAML.decode(
                M.Configuration.self, from: block, file: file, prefix: ["modules", M.id.rawValue])
            decoded = result.value
            found = result.unknownKeys
        } catch {
            if case .invalidSite(let problems) = error { found = problems }
        }
        problems += found.map { problem in
            var located = problem
            located.message = "module \(M.id) (\(Phase.decode.rawValue)): \(problem.message)"
            return located
        }
        guard let configuration = decoded, found.isEmpty else { return nil }
        let instance = M(configuration: configuration)
        do {
            try instance.validate()
        } catch {
            report(error, phase: .validate, module: M.id, base: base)
            return nil
        }
        var book = definition.rules
        do {
            try instance.register(into: &book, for: definition.site)
            definition.rules = book
        } catch {
            report(error, phase: .register, module: M.id, base: base)
            return nil
        }
        return instance
    }

    private mutating func report(_ error: CoreError, phase: Phase, module: ModuleID, base: [Any]) {
        var path = base
        var message = error.description
        if case .invalidConfiguration(let key, let text) = error {
            // A key under `site.` is about the site, not the module's block.
            path = key.hasPrefix("site.") ? Self.parse(key) : path + Self.parse(key)
            message = text
        }
        report("module \(module) (\(phase.rawValue)): \(message)", at: path)
    }
}
