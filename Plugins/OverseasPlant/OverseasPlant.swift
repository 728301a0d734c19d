import TaktCore

/// Plants in another country from head office: local working-time law on rosters, costs rolled up into the
/// region's currency, and lead times of materials from abroad. Times are stored in UTC and shown in the site's
/// IANA time zone by the core. See README.md beside this file.
public struct OverseasPlant: SiteModule {
    public static let id: ModuleID = "overseas_plant"
    public static let summary =
        "working-time law (EU, UK, Ireland, Mexico, Malaysia), currency roll-up, import lead times"
    public static var legalLimits: LegalLimitTable { WorkingTimeLaw.table }

    /// The `overseas_plant:` block of `site.yaml`.
    public struct Configuration: Codable, Sendable {
        /// The working-time law rosters must follow: `eu`, `uk`, `ireland`, `mexico` or `malaysia`; when absent, the
        /// law of `site.country` where the module knows it, else no checks.
        public var workingTime: WorkingTimeProfile.Country?
        /// EU, UK and Ireland: weeks over which the 48-hour average is taken; 17 (four months) when absent. More
        /// than 17 needs `reference_basis`.
        public var referenceWeeks: Int?
        /// What a reference period longer than 17 weeks rests on: `derogation` (up to 26 weeks) or
        /// `collective_agreement` (up to 52); `law` (up to 17) when absent.
        public var referenceBasis: WorkingTimeProfile.ReferenceBasis?
        /// EU only: the rest break when a day exceeds 6 hours; 20m (UK Working Time Regulations) when absent.
        public var minimumBreak: TimeSpan?
        /// No longer taken: costs roll up at central at the dated exchange rate of each cost's day. Kept so that an
        /// old `site.yaml` that still sets a fixed rate is refused with a message saying what to do.
        public var currency: Currency?
        /// Materials from abroad with their transit and customs lead times.
        public var materials: [Material]?

        public init() {}

        enum CodingKeys: String, CodingKey {
            case currency, materials
            case workingTime = "working_time"
            case referenceWeeks = "reference_weeks"
            case referenceBasis = "reference_basis"
            case minimumBreak = "minimum_break"
        }
    }

    /// The fixed-rate roll-up of earlier versions (`{region: USD, rate: 0.058}`), refused on load.
    public struct Currency: Codable, Sendable {
        public var region: String?
        public var rate: Double?
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
        if configuration.referenceWeeks != nil || configuration.referenceBasis != nil {
            guard configuration.workingTime.map(\.averagesTheWeek) ?? true else {
                throw .invalidConfiguration(
                    path: configuration.referenceWeeks != nil ? "reference_weeks" : "reference_basis",
                    message: "applies to the eu, uk and ireland profiles only")
            }
        }
        if let weeks = configuration.referenceWeeks {
            let basis = configuration.referenceBasis ?? .law
            let place = (configuration.workingTime ?? .eu).jurisdiction
            guard weeks >= 1,
                let most = WorkingTimeLaw.table.limit(basis.limit, in: place, on: .init(year: 2100, month: 1, day: 1))
            else {
                throw .invalidConfiguration(path: "reference_weeks", message: "\(weeks) weeks: give 1 or more")
            }
            guard Double(weeks) <= most.value else {
                let more =
                    basis == .collectiveAgreement
                    ? ""
                    : "; a longer one needs reference_basis: derogation (up to 26) or collective_agreement (up to 52)"
                throw .invalidConfiguration(
                    path: "reference_weeks",
                    message: "\(weeks) weeks is longer than the \(Int(most.value)) weeks \(most.citation) allows"
                        + (basis == .law ? " without an agreement or derogation" : "") + more)
            }
        }
        if let pause = configuration.minimumBreak, pause.seconds < 20 * 60,
            configuration.workingTime == .eu || configuration.workingTime == .uk
        {
            throw .invalidConfiguration(
                path: "minimum_break",
                message: "\(pause) is shorter than the 20 minutes the Working Time Regulations 1998, reg. 12 require")
        }
        if configuration.currency != nil {
            throw .invalidConfiguration(
                path: "currency",
                message: "a fixed exchange rate is no longer taken: central converts each cost at the dated rate of "
                    + "its day (takt central rates add or import); remove this block")
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
            let codes: [WorkingTimeProfile.Country: String] = [.uk: "uk", .mexico: "mx", .malaysia: "my"]
            if let code = codes[country] {
                try book.addSafety(
                    IncidentReportingRule(
                        id: RuleID(stringLiteral: "overseas_plant.\(code).incident_report"), country: country))
            }
            book.addLegalLimits(WorkingTimeLaw.table.rows(in: [country.jurisdiction]))
            // The average is judged over every reference period that holds a shift: the host loads that far.
            if country.averagesTheWeek {
                book.needRoster(within: .days(7 * profile.referenceWeeks + 1))
            }
        }
        for material in configuration.materials ?? [] {
            try book.setLeadTime(
                TimeSpan(seconds: material.transit.seconds + (material.customs?.seconds ?? 0)), forMaterial: material.id
            )
        }
    }
}
