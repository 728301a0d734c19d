/// A unit of plant-specific behaviour (food processing, electronics assembly, ...) that a site loads by id.
///
/// The host runs each module a site names through one life cycle, and a failure in any phase is reported
/// with the module's id and the phase, and stops the site from starting:
///
/// 1. **decode**: the host decodes `Configuration` strictly from the module's block in `site.yaml`
///    (`modules: {food_processing: {...}}`); unknown keys and wrong types are errors.
/// 2. **validate**: `init(configuration:)`, then `validate()`, which checks values against the law and
///    the module's own sense.
/// 3. **register**: `register(into:)` adds the module's rules to the site's `RuleBook`.
/// 4. **review**: `validate(site:)` checks the whole loaded site against the module's needs.
///
/// ## Implementation requirements
///
/// - `id` is stable, lowercase and namespaced (`food_processing`); every rule id the module registers starts
///   with it (`food_processing.ccp.chill`). Never derive ids from Swift type names.
/// - `Configuration` is a `Codable` struct whose every field has a default, so an empty block is valid; the
///   `///` comments on its fields are the user documentation.
/// - `validate()` does no I/O and throws `CoreError.invalidConfiguration` naming the key path below the
///   module's block and, for a legal limit, the regulation it comes from.
/// - Rules are `Sendable` values and pure: the clock and ids reach them through `RuleContext`.
/// - A module imports `TaktCore` only: no database, no network, no files.
public protocol SiteModule: Sendable {
    associatedtype Configuration: Codable & Sendable

    /// The stable id a site uses to load the module.
    static var id: ModuleID { get }
    /// One line for `takt site show` and the module list.
    static var summary: String { get }

    init(configuration: Configuration)

    /// Checks the configuration; throws `CoreError.invalidConfiguration` for the first problem.
    func validate() throws(CoreError)

    /// Registers the module's rules.
    func register(into book: inout RuleBook) throws(CoreError)

    /// Registers the module's rules for `site`, whose `country` decides the law; by default
    /// `register(into:)`. A module that enforces law implements this one, and throws
    /// `CoreError.invalidConfiguration` at `site.country` for a place it has no table for.
    func register(into book: inout RuleBook, for site: Site) throws(CoreError)

    /// Checks the loaded site against the module's needs, after every module has registered (for example that
    /// products name only allergens the law lists). Throws `CoreError.invalidConfiguration` whose path is a key
    /// path from the top of `site.yaml`, such as `products[2].attributes.allergens`.
    func validate(site: SiteDefinition) throws(CoreError)

    /// The kinds of record the module keeps at a site (see ``RecordKind``), each named in the module's
    /// namespace. The site store keeps them in tables of their own, created by migrations named after each kind,
    /// only at sites that load the module.
    static var records: [AnyRecordKind] { get }

    /// Command-line commands the module adds to `takt` (`takt reels …`).
    static var commands: [ModuleCommand] { get }

    /// Pages the module adds to the site app, built from its commands.
    static var pages: [ModulePage] { get }

    /// Summaries of the module's records that central shows for each site when the module is built into it.
    static var projections: [RecordProjection] { get }

    /// Every legal number the module enforces, in every jurisdiction and period it knows, with citations: what
    /// its rules read, `takt site show` lists (the site's own jurisdiction, registered with
    /// `RuleBook.addLegalLimits`) and its README's table shows (a test keeps the two the same).
    static var legalLimits: LegalLimitTable { get }

    /// Product attributes a product inherits from its ingredients through its bill of materials (food_processing:
    /// `allergens`); the host derives them into `Product.derived`.
    static var inheritedAttributes: [String] { get }

    /// Advice on the loaded site that does not stop it from starting but probably is not what the site means
    /// (a shared line with mixed allergens and no allergen clean, say); `takt site validate` prints each as a
    /// warning at its key path.
    func advice(site: SiteDefinition) -> [Advice]
}

/// A warning a module gives about a loaded site: the key path it is about and what to do.
public struct Advice: Hashable, Sendable {
    /// A key path from the top of `site.yaml`, such as `modules.food_processing.allergens.lines`.
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
}

extension SiteModule {
    public static var records: [AnyRecordKind] { [] }
    public static var commands: [ModuleCommand] { [] }
    public static var projections: [RecordProjection] { [] }
    public static var pages: [ModulePage] { [] }
    public static var legalLimits: LegalLimitTable { LegalLimitTable([]) }
    public static var inheritedAttributes: [String] { [] }
    public func validate() throws(CoreError) {}
    public func validate(site: SiteDefinition) throws(CoreError) {}
    public func advice(site: SiteDefinition) -> [Advice] { [] }
    public func register(into book: inout RuleBook, for site: Site) throws(CoreError) { try register(into: &book) }
}

/// The modules a host can load, keyed by id. Building it rejects two modules with one id, and record kinds
/// declared outside their module's namespace, wrongly, or twice.
public struct ModuleRegistry: Sendable {
    public let modules: [ModuleID: any SiteModule.Type]
    /// Every module's record kinds, by id.
    public let recordKinds: [RecordKindID: AnyRecordKind]

    public init(_ modules: [any SiteModule.Type]) throws(CoreError) {
        var byID: [ModuleID: any SiteModule.Type] = [:]
        var kinds: [RecordKindID: AnyRecordKind] = [:]
        var commandNames: [String: ModuleID] = [:]
        for module in modules {
            guard byID[module.id] == nil else { throw .duplicateModule(module.id) }
            byID[module.id] = module
            for kind in module.records {
                guard kind.module == module.id.rawValue, kind.id != module.id else {
                    throw .recordKindOutsideNamespace(kind: kind.id, module: module.id)
                }
                try kind.validate()
                if let earlier = kinds[kind.id] {
                    throw .duplicateRecordKind(
                        kind: kind.id, modules: [ModuleID(stringLiteral: earlier.module), module.id])
                }
                kinds[kind.id] = kind
            }
            for command in module.commands {
                if let earlier = commandNames[command.name] {
                    throw .invalidConfiguration(
                        path: "",
                        message: "the command '\(command.name)' is declared twice (by \(earlier) and \(module.id))")
                }
                commandNames[command.name] = module.id
            }
        }
        self.modules = byID
        self.recordKinds = kinds
    }

    /// The module with `id`, or nil when this host has none.
    public func module(_ id: ModuleID) -> (any SiteModule.Type)? { modules[id] }

    /// All ids, sorted.
    public var ids: [ModuleID] { modules.keys.sorted() }

    /// The record kinds of the modules in `ids` (the ones a site loads), in module then declaration order.
    public func recordKinds(of ids: [ModuleID]) -> [AnyRecordKind] {
        ids.sorted().flatMap { modules[$0]?.records ?? [] }
    }

    /// Every module's commands, with the module that contributes each, by command name.
    public var commands: [(module: ModuleID, command: ModuleCommand)] {
        ids.flatMap { id in (modules[id]?.commands ?? []).map { (id, $0) } }.sorted {
            $0.command.name < $1.command.name
        }
    }

    /// The site-app pages of the modules in `ids` (the ones a site loads).
    public func pages(of ids: [ModuleID]) -> [ModulePage] { ids.sorted().flatMap { modules[$0]?.pages ?? [] } }

    /// Every module's projections for central.
    public var projections: [RecordProjection] { ids.flatMap { modules[$0]?.projections ?? [] } }
}
