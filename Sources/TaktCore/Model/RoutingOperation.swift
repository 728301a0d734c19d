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
    /// A skill a person needs to run it, if any: someone at the site must hold it (people are not counted).
    public var skill: String?
    /// The people it needs while it runs (3 packers and 1 qualified operator): the planner assigns rostered,
    /// cleared people to it as a finite resource. Empty: people are not planned for it.
    public var crew: [CrewNeed] = []

    public init(
        id: String, name: String? = nil, workCentres: [String], setup: TimeSpan = TimeSpan(seconds: 0),
        secondsPerUnit: Double, after: [String]? = nil, skill: String? = nil, crew: [CrewNeed] = []
    ) {
        self.crew = crew
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

    enum CodingKeys: String, CodingKey {
        case id, name, workCentres, setup, secondsPerUnit, after, skill, crew
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        workCentres = try container.decode([String].self, forKey: .workCentres)
        setup = try container.decode(TimeSpan.self, forKey: .setup)
        secondsPerUnit = try container.decode(Double.self, forKey: .secondsPerUnit)
        after = try container.decodeIfPresent([String].self, forKey: .after)
        skill = try container.decodeIfPresent(String.self, forKey: .skill)
        // Written before operations had crews: none.
        crew = try container.decodeIfPresent([CrewNeed].self, forKey: .crew) ?? []
    }
}
