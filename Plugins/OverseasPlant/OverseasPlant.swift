import TaktCore

/// Plants in another country from head office: local working-time law on rosters, costs rolled up into the
/// region's currency, and lead times of materials from abroad. Times are stored in UTC and shown in the site's
/// IANA time zone by the core. See README.md beside this file.
public struct OverseasPlant: SiteModule {
    public static let id: ModuleID = "overseas_plant"
    public static let summary = "working-time law (EU, Mexico, Malaysia), currency roll-up, import lead times"

    /// The `overseas_plant:` block of `site.yaml`.
    public struct Configuration: Codable, Sendable {
        /// The working-time law rosters must follow: `eu`, `mexico` or `malaysia`. No checks when absent.
        public var workingTime: WorkingTimeProfile.Country?
        /// EU only: weeks over which the 48-hour average is taken; 17 (four months) when absent, at most 52.
        public var referenceWeeks: Int?
        /// EU only: the rest break when a day exceeds 6 hours; 20m (UK Working Time Regulations) when absent.
        public var minimumBreak: TimeSpan?
        /// How costs roll up into the region's currency.
        public var currency: Currency?
        /// Materials from abroad with their transit and customs lead times.
        public var materials: [Material]?

        public init() {}

        enum CodingKeys: String, CodingKey {
            case currency, materials
            case workingTime = "working_time"
            case referenceWeeks = "reference_weeks"
            case minimumBreak = "minimum_break"
        }
    }

    public struct Currency: Codable, Sendable {
        /// ISO 4217 code of the region's reporting currency, such as `USD`.
        public var region: String
        /// Region units per site unit (1 MXN = 0.058 USD).
        public var rate: Double
    }

    public struct Material: Codable, Sendable {
        public var id: String
        /// Where it comes from, for people.
        public var origin: String?
        public var transit: TimeSpan
        /// Customs clearance; 0 when absent.
        public var customs: TimeSpan?
    }

    public let configuration: Configuration

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    public func validate() throws(CoreError) {
        if let weeks = configuration.referenceWeeks {
            guard configuration.workingTime == .eu || configuration.workingTime == .ireland else {
                throw .invalidConfiguration(path: "reference_weeks", message: "applies to the eu profile only")
            }
            guard (1...52).contains(weeks) else {
                throw .invalidConfiguration(
                    path: "reference_weeks",
                    message:
                        "\(weeks) weeks: Directive 2003/88/EC allows at most 4 months (17 weeks), or 12 months by collective agreement"
                )
            }
        }
        if let pause = configuration.minimumBreak, pause.seconds < 20 * 60, configuration.workingTime == .eu {
            throw .invalidConfiguration(
                path: "minimum_break",
                message: "\(pause) is shorter than the 20 minutes the Working Time Regulations 1998, reg. 12 require")
        }
        if let currency = configuration.currency {
            guard currency.rate > 0, currency.rate.isFinite else {
                throw .invalidConfiguration(path: "currency.rate", message: "the rate must be a positive number")
            }
            guard currency.region.count == 3, currency.region.allSatisfy({ $0.isUppercase && $0.isASCII }) else {
                throw .invalidConfiguration(
                    path: "currency.region", message: "'\(currency.region)' is not an ISO 4217 code")
            }
        }
        for (index, material) in (configuration.materials ?? []).enumerated() where material.transit.seconds <= 0 {
            throw .invalidConfiguration(path: "materials[\(index)].transit", message: "must be longer than zero")
        }
    }

    public func register(into book: inout RuleBook) throws(CoreError) {
        try register(into: &book, country: configuration.workingTime)
    }

    /// Without `working_time`, the law of the site's country applies where the module knows it.
    public func register(into book: inout RuleBook, for site: Site) throws(CoreError) {
        try register(
            into: &book, country: configuration.workingTime ?? WorkingTimeProfile.Country.forCountry(site.country))
    }

    func register(into book: inout RuleBook, country: WorkingTimeProfile.Country?) throws(CoreError) {
        if let country {
            let profile = WorkingTimeProfile(
                country: country, referenceWeeks: configuration.referenceWeeks ?? 17,
                minimumBreak: configuration.minimumBreak ?? .minutes(20))
            for rule in profile.rules() { try book.addSafety(rule) }
        }
        if let currency = configuration.currency {
            try book.setCurrencyRollUp(.init(regionCurrency: currency.region, rate: currency.rate))
        }
        for material in configuration.materials ?? [] {
            try book.setLeadTime(
                TimeSpan(seconds: material.transit.seconds + (material.customs?.seconds ?? 0)), forMaterial: material.id
            )
        }
    }
}
