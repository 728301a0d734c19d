import Foundation

/// What planning must know about a part whose stock goes off once opened (a moisture-sensitive reel's floor
/// life; the same shape fits opened adhesives or pastes): work that uses the part must finish while some unit
/// of it is still usable. Registered by a module with ``RuleBook/addPartStock(_:)``.
public struct PartStock: Hashable, Sendable {
    /// One unit in stock: how long it stays usable from the planning start, and whether that time is already
    /// running (opened) or starts when it is opened.
    public struct Unit: Hashable, Sendable {
        public var id: String
        /// Seconds of use left; nil when unlimited.
        public var remaining: TimeInterval?
        /// Whether the clock is already running (the unit is open).
        public var running: Bool

        public init(id: String, remaining: TimeInterval?, running: Bool) {
            self.id = id
            self.remaining = remaining
            self.running = running
        }
    }

    public var part: String
    public var units: [Unit]
    /// What a unit is called (`reel`), what runs out (`floor life`), the source (`J-STD-033`), what to do
    /// when every unit is past it (`bake one before planning`) and what renews a unit (`bake the reel`): the
    /// planner's messages are built from these.
    public var unitName: String
    public var limitName: String
    public var source: String
    public var remedy: String
    public var renewal: String

    public init(
        part: String, units: [Unit], unitName: String, limitName: String, source: String, remedy: String,
        renewal: String
    ) {
        self.part = part
        self.units = units
        self.unitName = unitName
        self.limitName = limitName
        self.source = source
        self.remedy = remedy
        self.renewal = renewal
    }
}

/// Supplies the part stock planning must respect, from the module records it reads (the reels) and the active
/// blocks (a blocked reel is not stock), at the planning start.
public struct PartStockRule: Sendable {
    public let id: RuleID
    public let reads: [RecordRead]
    public let stock: @Sendable (ModuleRecords, [Block], Date) -> [PartStock]

    public init(
        id: RuleID, reads: [RecordRead], stock: @escaping @Sendable (ModuleRecords, [Block], Date) -> [PartStock]
    ) {
        self.id = id
        self.reads = reads
        self.stock = stock
    }
}
