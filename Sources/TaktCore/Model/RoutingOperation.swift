/// One step of a product's routing: where it may run and how long it takes there.
public struct RoutingOperation: Hashable, Sendable, Codable {
    public var id: String
    public var name: String?
    /// The work centres that can do it; the scheduler picks one.
    public var workCentres: [String]
    /// Fixed time to set the operation up, before the first unit.
    public var setup: TimeSpan
    /// Time per unit of the order's quantity, in seconds.
    public var secondsPerUnit: Double
    /// Ids of operations of the same routing that must finish first; empty means "the previous one in the
    /// routing" for all but the first, which makes the common chain the default.
    public var after: [String]?
    /// A skill a person needs to run it, if any.
    public var skill: String?

    public init(
        id: String, name: String? = nil, workCentres: [String], setup: TimeSpan = TimeSpan(seconds: 0),
        secondsPerUnit: Double, after: [String]? = nil, skill: String? = nil
    ) {
        self.id = id
        self.name = name
        self.workCentres = workCentres
        self.setup = setup
        self.secondsPerUnit = secondsPerUnit
        self.after = after
        self.skill = skill
    }

    /// Setup plus run time for `quantity` units, in whole seconds (rounded up).
    public func duration(quantity: Double) -> Int {
        setup.seconds + Int((secondsPerUnit * quantity).rounded(.up))
    }
}
