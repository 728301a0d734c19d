import Foundation

/// The site as a module's commands and pages see it: its definition, its clock, its module records and its
/// blocks, and one way to change them. The host implements it; a module never sees the database.
public protocol ModuleSite: Sendable {
    var definition: SiteDefinition { get }
    /// The site's clock.
    func now() -> Date
    /// The latest record of a state `kind` with `key`; throws when the stored payload does not decode.
    func latest<V>(_ kind: RecordKind<V>, key: String) throws -> V?
    /// Every latest record of a state kind, by key; every fact of a fact kind, oldest first.
    func all<V>(_ kind: RecordKind<V>) throws -> [V]
    /// Records of `kind` whose indexed `field` equals `value`, oldest first.
    func records<V>(_ kind: RecordKind<V>, where field: String, equals value: String) throws -> [V]
    /// What may not be used until a block is lifted.
    func activeBlocks() throws -> [Block]
    /// Judges and stores `change` in one transaction: its records, the findings the rules raise for its event,
    /// and the blocks it lifts. Returns the findings stored.
    func apply(_ change: RecordChange) throws -> [Finding]
}

/// One change a module makes at the site: records written together, the event rules judge (usually the fact
/// among them), and blocks it lifts (baking a reel lifts the reel's block).
public struct RecordChange: Sendable {
    public var writes: [RecordWrite]
    /// The record the rules judge, with the site's state as it was before the change.
    public var event: RecordWrite?
    /// When it happened; refused if after the site's clock allows.
    public var at: Date
    /// Who did it: a staff id the site knows, or nil.
    public var by: String?
    /// Where: a work centre the site knows, or nil.
    public var workCentre: String?
    /// Blocks the change lifts, by kind and target.
    public var lifts: [FindingAction]
    /// The state records the change was computed from, as they were read (`kind.write(reel)`): if one has
    /// changed by the time the change is stored (a second tablet opened the same reel), nothing is stored and
    /// the change is refused, to be made again on what is there now.
    public var basedOn: [RecordWrite]
    /// State records the change creates and that must not exist yet (a new reel's id): if one does by the time
    /// the change is stored, nothing is stored.
    public var creates: [RecordWrite]

    public init(
        writes: [RecordWrite], event: RecordWrite? = nil, at: Date, by: String? = nil, workCentre: String? = nil,
        lifts: [FindingAction] = [], basedOn: [RecordWrite] = [], creates: [RecordWrite] = []
    ) {
        self.writes = writes
        self.event = event
        self.at = at
        self.by = by
        self.workCentre = workCentre
        self.lifts = lifts
        self.basedOn = basedOn
        self.creates = creates
    }
}

/// Something that may not be used until the block is lifted: a work centre, an operator at a station, or
/// anything a module blocks (a reel).
public struct Block: Hashable, Sendable, Codable {
    public var kind: FindingAction.Kind
    public var target: String
    public var finding: Int64
    public var since: Date

    public init(kind: FindingAction.Kind, target: String, finding: Int64, since: Date) {
        self.kind = kind
        self.target = target
        self.finding = finding
        self.since = since
    }
}
