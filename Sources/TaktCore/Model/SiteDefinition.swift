import Foundation

/// Everything a site is, once its configuration has been loaded and checked: the plant, its people, its
/// products and the rule book its modules and its own rules built.
public struct SiteDefinition: Sendable {
    public var site: Site
    public var timeZone: TimeZone
    public var calendars: [String: ShiftCalendar]
    public var workCentres: [WorkCentre]
    public var products: [String: Product]
    public var staff: [String: Staff]
    public var rules: RuleBook
    /// How the scheduler weighs lateness, changeovers and makespan at this site.
    public var weights: ScheduleWeights
    /// How far ahead of the site's clock a recorded time may be (clocks of tablets and PCs differ a little);
    /// anything later is refused as a typo, never stored. 5 minutes unless `site.clock_tolerance` says otherwise.
    public var clockTolerance: TimeSpan = .minutes(5)
    /// What the loader noticed that does not stop the site but is probably not meant, each as
    /// `file:line: key.path: message`.
    public var warnings: [String] = []
    /// How long before its due date an order may be finished at the earliest (`scheduling.earliest_before_due`);
    /// finished goods made earlier only wait, and chilled food loses shelf life. No limit when nil.
    public var earliestBeforeDue: TimeSpan?
    /// The record kinds of the modules the site loads, in the order their tables are migrated; the host opens
    /// the site database with them.
    public var recordKinds: [AnyRecordKind] = []
    /// The reason codes a production report names for its downtime (`downtime_reasons` in site.yaml).
    public var downtimeReasons: [DowntimeReason] = []
    /// The site's measuring instruments, by id (`instruments` in site.yaml).
    public var instruments: [String: Instrument] = [:]
    /// What the site buys, by id (`items` in site.yaml).
    public var items: [String: Item] = [:]
    /// Who it buys from, by id, with their approvals per item.
    public var suppliers: [String: Supplier] = [:]
    /// What a delivery from a supplier not approved for the item does.
    public var unapprovedSupplier: UnapprovedSupplierPolicy = .refuse
    /// Routine maintenance of the work centres (`maintenance.plans` in site.yaml).
    public var maintenancePlans: [MaintenancePlan] = []
    /// Parts of work centres maintained on their own, by id (`maintenance.equipment`).
    public var equipment: [String: Equipment] = [:]
    /// The checks kept on control charts (`quality.spc`).
    public var charts: [ChartedCheck] = []
    /// Who is told about which findings, and escalation (`alerts`).
    public var alerts = AlertPolicy()
    /// Training courses, the lead for expiring certificates, and the site's own shift patterns (`people:`).
    public var people = PeoplePolicy()
    /// Machine and labour rates per work centre and the overhead share (`costs:`).
    public var costs = CostRates()
    /// Where the monthly site report is written after each month ends (`costs.reports.folder`, relative to the
    /// site's folder); nil: only on demand.
    public var reportFolder: String?
    /// The WebAssembly extensions the site runs (`extensions:`), as loaded and self-tested.
    public var extensions: [LoadedExtension] = []
    /// The public keys (Ed25519, by publisher id) whose signatures on extension modules the site accepts.
    public var extensionKeys: [String: Data] = [:]
    /// Where each signed extension's module and signature go, by id (absolute paths): central publishes them.
    public var signedExtensionFiles: [String: SignedExtensionFiles] = [:]

    public struct SignedExtensionFiles: Hashable, Sendable {
        public var module: String
        public var signature: String

        public init(module: String, signature: String) {
            self.module = module
            self.signature = signature
        }
    }

    /// An extension a site runs: its id, version and the SHA-256 of its module.
    public struct LoadedExtension: Hashable, Sendable, Codable {
        public var id: String
        public var version: String
        public var sha256: String
        public var checks: [String]

        public init(id: String, version: String, sha256: String, checks: [String]) {
            self.id = id
            self.version = version
            self.sha256 = sha256
            self.checks = checks
        }
    }

    public init(
        site: Site, timeZone: TimeZone, calendars: [String: ShiftCalendar] = [:], workCentres: [WorkCentre] = [],
        products: [String: Product] = [:], staff: [String: Staff] = [:], rules: RuleBook = RuleBook(),
        weights: ScheduleWeights = ScheduleWeights()
    ) {
        self.site = site
        self.timeZone = timeZone
        self.calendars = calendars
        self.workCentres = workCentres
        self.products = products
        self.staff = staff
        self.rules = rules
        self.weights = weights
    }

    /// The work centre with `id`, if the site has one.
    public func workCentre(_ id: String) -> WorkCentre? { workCentres.first { $0.id == id } }
}
