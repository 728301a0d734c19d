import TaktCore

/// A small module for the life-cycle tests: a chill control point whose limit the site may set, never above
/// the legal 8 °C.
struct ChillModule: SiteModule {
    struct Configuration: Codable, Sendable {
        /// The site's chill limit in °C; 5 when absent.
        var maxCelsius: Double?

        enum CodingKeys: String, CodingKey {
            case maxCelsius = "max_celsius"
        }
    }

    static let id: ModuleID = "test_chill"
    static let summary = "a chill control point"
    let configuration: Configuration

    init(configuration: Configuration) {
        self.configuration = configuration
    }

    func validate() throws(CoreError) {
        if let max = configuration.maxCelsius, max > 8 {
            throw .invalidConfiguration(
                path: "max_celsius",
                message: "\(CriticalLimits.format(max)) °C is above the legal maximum 8 °C (Regulation (EC) 852/2004)")
        }
    }

    func register(into book: inout RuleBook) throws(CoreError) {
        try book.addHygiene(
            CheckDefinition(
                id: "test_chill.ccp.chill", name: "Chilled storage", unit: "°C",
                limits: .init(max: configuration.maxCelsius ?? 5), every: .hours(4), onBreach: [.holdLot],
                correctiveAction: "move stock", source: "Regulation (EC) 852/2004"))
    }
}

/// A module whose registration always collides with the chill module's rule id.
struct CollidingModule: SiteModule {
    struct Configuration: Codable, Sendable {}
    static let id: ModuleID = "test_colliding"
    static let summary = "registers a rule id that is taken"
    init(configuration: Configuration) {}

    func register(into book: inout RuleBook) throws(CoreError) {
        try book.addSafety(QualificationRule(id: "test_chill.ccp.chill", certificate: "x"))
    }
}

let testRegistry = try! ModuleRegistry([ChillModule.self, CollidingModule.self])

/// A module whose one rule reports how many earlier readings of the check it saw, to show that readings
/// recorded at the same moment are judged one after the other.
struct HistoryModule: SiteModule {
    struct Configuration: Codable, Sendable {}
    static let id: ModuleID = "test_history"
    static let summary = "reports the history a reading is judged against"
    init(configuration: Configuration) {}

    struct Counting: EventRule {
        let id: RuleID = "test_history.count"
        let summary = "says how many earlier readings it saw"
        func evaluate(_ event: SiteEvent, in context: RuleContext) -> [Finding] {
            guard case .reading(let reading) = event else { return [] }
            return [
                Finding(
                    rule: id, severity: .info, subject: .init(.check, reading.check.rawValue),
                    message: "seen \(context.history.count)", raisedAt: reading.at)
            ]
        }
    }

    func register(into book: inout RuleBook) throws(CoreError) { try book.addHygiene(Counting()) }
}

let historyRegistry = try! ModuleRegistry([ChillModule.self, HistoryModule.self])
