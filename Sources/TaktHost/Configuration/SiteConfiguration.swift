import TaktCore
import TaktExtensions

/// The contents of a site's `site.yaml`, as written. Keys are snake_case; every list is optional.
///
/// The `modules:` block is not decoded here: each module decodes its own block with its own configuration
/// type. `SiteLoader` turns this into a checked `SiteDefinition`.
public struct SiteConfiguration: Codable, Sendable {
    public struct SiteSection: Codable, Sendable {
        public var id: String
        public var name: String
        public var region: String
        /// IANA time zone, such as `Europe/London`.
        public var timeZone: String
        /// ISO 4217 code, such as `GBP`.
        public var currency: String
        /// How far ahead of the site's clock a recorded time may be; 5m when absent.
        public var clockTolerance: TimeSpan?
        /// ISO 3166 code of where the plant is: `IE`, `MY`, `MX`, or `GB-ENG`, `GB-SCT`, `GB-WLS`, `GB-NIR`
        /// (the law differs within the UK). Modules choose the law they enforce from it.
        public var country: String?
        /// The site app's language unless a person chooses another: `en`, `es` or `ms`; `en` when absent.
        public var locale: String?

        enum CodingKeys: String, CodingKey {
            case id, name, region, currency
            case timeZone = "time_zone"
            case clockTolerance = "clock_tolerance"
            case country, locale
        }
    }

    public struct CalendarSpec: Codable, Sendable {
        public var id: String
        public var shifts: [ShiftCalendar.Shift]
        /// Local dates on which no shift starts.
        public var holidays: [LocalDate]?
        /// Dated working time outside the shifts (a Saturday overtime shift); times are site-local unless they
        /// carry a zone.
        public var overtime: [ExceptionSpec]?
        /// Unavailable periods (maintenance windows); times are site-local unless they carry a zone.
        public var exceptions: [ExceptionSpec]?
    }

    public struct ExceptionSpec: Codable, Sendable {
        public var from: String
        public var to: String
        public var reason: String
    }

    public struct WorkCentreSpec: Codable, Sendable {
        public var id: String
        public var name: String?
        /// Operations it can run at once; 1 when absent.
        public var capacity: Int?
        public var calendar: String?
        /// May an operation be split across a break? false when absent.
        public var splitsAcrossBreaks: Bool?

        enum CodingKeys: String, CodingKey {
            case id, name, capacity, calendar
            case splitsAcrossBreaks = "splits_across_breaks"
        }
    }

    public struct ProductSpec: Codable, Sendable {
        public var id: String
        public var name: String?
        /// Attribute name to one value or a list of values: `family: rye`, `allergens: [milk, eggs]`.
        public var attributes: [String: AttributeValues]?
        public var routing: [OperationSpec]?
        /// What one unit is made from: `[{item: flour, quantity: 0.45, scrap: 0.02}]` (`item` names an item or a
        /// product).
        public var bom: [BOMSpec]?
    }

    public struct BOMSpec: Codable, Sendable {
        public var item: String
        public var quantity: Double
        public var scrap: Double?
        /// Items (or products) that may be used instead, in order of preference, in the same quantity.
        public var alternates: [String]?
    }

    public struct OperationSpec: Codable, Sendable {
        public var id: String
        public var name: String?
        public var workCentres: [String]
        public var setup: TimeSpan?
        /// Run time per unit in seconds; give this or `units_per_hour`.
        public var secondsPerUnit: Double?
        public var unitsPerHour: Double?
        public var after: [String]?
        public var skill: String?
        /// `[{skill: packing, count: 3}, {skill: line_operator}]`: the people it needs while it runs.
        public var crew: [CrewNeed]?

        enum CodingKeys: String, CodingKey {
            case id, name, setup, after, skill, crew
            case workCentres = "work_centres"
            case secondsPerUnit = "seconds_per_unit"
            case unitsPerHour = "units_per_hour"
        }
    }

    /// `{id: probe-1, name: Probe thermometer 1, unit: °C, every: 7d, tolerance: 1, points: [0, 100],
    /// checks: [food_processing.ccp.cook]}`.
    public struct InstrumentSpec: Codable, Sendable {
        public var id: String
        public var name: String?
        /// `°C` when absent.
        public var unit: String?
        /// How long a passing calibration lasts.
        public var every: TimeSpan
        /// ± how far a calibration reading may be from its reference; 1 when absent.
        public var tolerance: Double?
        /// The reference points each calibration measures; `[0, 100]` (ice and boiling point) when absent.
        public var points: [Double]?
        /// The checks whose readings must name a calibrated instrument.
        public var checks: [RuleID]?
    }

    /// `{id: flour, name: Wheat flour, unit: kg, storage: dry, shelf_life: 180d, attributes: {allergens: [gluten]}}`.
    public struct ItemSpec: Codable, Sendable {
        public var id: String
        public var name: String?
        public var unit: String
        /// `ambient` when absent.
        public var storage: Item.Storage?
        public var shelfLife: TimeSpan?
        public var attributes: [String: AttributeValues]?
        /// From ordering to delivery (`5d`); material planning adds transit and customs a module knows.
        public var leadTime: TimeSpan?
        /// For items outside bills of materials: buy `reorder_quantity` more when stock and open purchase orders
        /// fall to `reorder_point`.
        public var reorderPoint: Double?
        public var reorderQuantity: Double?
        /// The standard price per unit in the site's currency, for standard costs.
        public var price: Double?

        enum CodingKeys: String, CodingKey {
            case id, name, unit, storage, attributes, price
            case shelfLife = "shelf_life"
            case leadTime = "lead_time"
            case reorderPoint = "reorder_point"
            case reorderQuantity = "reorder_quantity"
        }
    }

    /// `{id: millers, name: Millers Ltd, items: {flour: approved, seeds: conditional}}`.
    public struct SupplierSpec: Codable, Sendable {
        public var id: String
        public var name: String?
        public var items: [String: Supplier.Approval]?
    }

    public struct MaterialsSpec: Codable, Sendable {
        /// `refuse` (the default) or `hold`.
        public var unapprovedSupplier: UnapprovedSupplierPolicy?

        enum CodingKeys: String, CodingKey {
            case unapprovedSupplier = "unapproved_supplier"
        }
    }

    /// `alerts:`: the mail server, the webhook signing key's variable, the routes and the escalation.
    public struct AlertsSpec: Codable, Sendable {
        public var smtp: SMTPSpec?
        public var webhookSecretEnv: String?
        public var routes: [RouteSpec]?
        public var escalation: EscalationSpec?

        enum CodingKeys: String, CodingKey {
            case smtp, routes, escalation
            case webhookSecretEnv = "webhook_secret_env"
        }
    }

    /// `{url: smtp://mail.example:587, from: takt@site.example, user: takt, password_env: TAKT_SMTP_PASSWORD}`.
    public struct SMTPSpec: Codable, Sendable {
        public var url: String
        public var from: String
        public var user: String?
        public var passwordEnv: String?

        enum CodingKeys: String, CodingKey {
            case url, from, user
            case passwordEnv = "password_env"
        }
    }

    /// `{severity: critical, rules: [food_processing], email: [qa@site.example], webhook: [https://…]}`.
    public struct RouteSpec: Codable, Sendable {
        public var severity: Severity?
        public var rules: [String]?
        public var email: [String]?
        public var webhook: [String]?
    }

    /// `{after: 15m, severity: critical, email: [manager@site.example], webhook: [https://…]}`.
    public struct EscalationSpec: Codable, Sendable {
        public var after: TimeSpan
        public var severity: Severity?
        public var email: [String]?
        public var webhook: [String]?
    }

    public struct QualitySpec: Codable, Sendable {
        public var spc: [ChartSpec]?
    }

    /// `{check: food_processing.ccp.chill, work_centre: walk-in-chiller, baseline_points: 25}`, or a baseline period
    /// `baseline: {from: 2026-11-01, to: 2026-11-30}`.
    public struct ChartSpec: Codable, Sendable {
        public var check: RuleID
        public var workCentre: String?
        public var baselinePoints: Int?
        public var baseline: PeriodSpec?
        /// Readings per subgroup for an X̄–R chart (2 to 10); single readings when absent.
        public var subgroup: Int?

        enum CodingKeys: String, CodingKey {
            case check, baseline, subgroup
            case workCentre = "work_centre"
            case baselinePoints = "baseline_points"
        }
    }

    public struct PeriodSpec: Codable, Sendable {
        public var from: LocalDate
        public var to: LocalDate
    }

    public struct MaintenanceSpec: Codable, Sendable {
        /// `{id: oven-1-burner, name: Burner, work_centre: oven-1}`.
        public var equipment: [EquipmentSpec]?
        public var plans: [MaintenancePlanSpec]?
    }

    public struct EquipmentSpec: Codable, Sendable {
        public var id: String
        public var name: String?
        public var workCentre: String

        enum CodingKeys: String, CodingKey {
            case id, name
            case workCentre = "work_centre"
        }
    }

    /// `{id: burner-service, asset: oven-1, task: Service the burner, every: 30d, run_hours: 500, duration: 2h}`.
    public struct MaintenancePlanSpec: Codable, Sendable {
        public var id: String
        public var asset: String
        public var task: String
        public var every: TimeSpan?
        public var runHours: Double?
        public var units: Double?
        public var duration: TimeSpan
        public var skill: String?
        public var parts: [PartSpec]?
        public var tolerance: TimeSpan?
        public var lastDone: LocalDate?

        enum CodingKeys: String, CodingKey {
            case id, asset, task, every, units, duration, skill, parts, tolerance
            case runHours = "run_hours"
            case lastDone = "last_done"
        }
    }

    public struct PartSpec: Codable, Sendable {
        public var item: String
        public var quantity: Double
    }

    public struct StaffSpec: Codable, Sendable {
        public var id: String
        public var name: String
        public var skills: [String]?
        public var certificates: [Staff.Certificate]?
        /// `2009-04-17`: working-time law protects workers under 18 more.
        public var dateOfBirth: LocalDate?
        /// The day the person signed an opt-out from the 48-hour average (UK only).
        public var workingTimeOptOut: LocalDate?
        /// `{packing: can_train, labelling: supervised}`: skills matrix levels beyond "competent" for `skills`.
        public var skillLevels: [String: SkillLevel]?

        enum CodingKeys: String, CodingKey {
            case id, name, skills, certificates
            case skillLevels = "skill_levels"
            case dateOfBirth = "date_of_birth"
            case workingTimeOptOut = "working_time_opt_out"
        }
    }

    /// How the scheduler weighs the objective: `scheduling: {tardiness_weight: 100, changeover_weight: 10,
    /// makespan_weight: 1}` (per minute; these are the defaults).
    public struct SchedulingSpec: Codable, Sendable {
        public var tardinessWeight: Double?
        public var changeoverWeight: Double?
        public var makespanWeight: Double?
        public var stabilityWeight: Double?
        /// How long before its due date an order may be finished at the earliest, such as `2d`; no limit when
        /// absent.
        public var earliestBeforeDue: TimeSpan?

        enum CodingKeys: String, CodingKey {
            case earliestBeforeDue = "earliest_before_due"
            case tardinessWeight = "tardiness_weight"
            case changeoverWeight = "changeover_weight"
            case makespanWeight = "makespan_weight"
            case stabilityWeight = "stability_weight"
        }
    }

    /// `costs: {overhead: 0.15, work_centres: [{id: oven-1, machine: 40, labour: 18, shift_labour: {night: 24}}],
    /// reports: {folder: reports}}`.
    public struct CostsSpec: Codable, Sendable {
        public var overhead: Double?
        public var workCentres: [WorkCentreRateSpec]?
        /// Where the monthly site report is written when a month ends; no scheduled report when absent.
        public var reports: ReportsSpec?

        enum CodingKeys: String, CodingKey {
            case overhead, reports
            case workCentres = "work_centres"
        }
    }

    /// One work centre's hourly rates, in the site's currency.
    public struct WorkCentreRateSpec: Codable, Sendable {
        public var id: String
        public var machine: Double?
        public var labour: Double?
        public var shiftLabour: [String: Double]?
        /// Per person per hour outside the calendar's shifts.
        public var overtime: Double?

        enum CodingKeys: String, CodingKey {
            case id, machine, labour, overtime
            case shiftLabour = "shift_labour"
        }
    }

    /// `reports: {folder: reports}`: the monthly report, written once after each month ends.
    public struct ReportsSpec: Codable, Sendable {
        public var folder: String
    }

    /// `people: {training_lead: 30d, matrix_days: 7, courses: [...], patterns: [...]}`.
    public struct PeopleSpec: Codable, Sendable {
        public var trainingLead: TimeSpan?
        public var matrixDays: Int?
        public var courses: [CourseSpec]?
        public var patterns: [PatternSpec]?

        enum CodingKeys: String, CodingKey {
            case courses, patterns
            case trainingLead = "training_lead"
            case matrixDays = "matrix_days"
        }
    }

    /// `{id: food-hygiene-2, name: Food hygiene level 2, certificate: food_hygiene_level_2, valid_months: 36,
    /// skill: packing, level: competent}`.
    public struct CourseSpec: Codable, Sendable {
        public var id: String
        public var name: String?
        public var certificate: String?
        public var validMonths: Int?
        public var skill: String?
        public var level: SkillLevel?

        enum CodingKeys: String, CodingKey {
            case id, name, certificate, skill, level
            case validMonths = "valid_months"
        }
    }

    /// `{id: days-only, cycle: "DDDDD--", teams: 1, offset: 0, shifts: [{code: D, start: "06:00", end: "14:00"}]}`.
    public struct PatternSpec: Codable, Sendable {
        public var id: String
        public var cycle: String
        public var teams: Int?
        public var offset: Int?
        public var shifts: [ShiftPattern.Shift]
    }

    public var site: SiteSection
    public var people: PeopleSpec?
    /// `costs:`: rates, overhead and the scheduled monthly report.
    public var costs: CostsSpec?
    /// `extensions:`: rule extensions as WebAssembly modules.
    public var extensions: [ExtensionSpec]?
    /// `extension_keys:`: the publishers whose signed extensions the site installs (`{id, public_key}` in base64).
    public var extensionKeys: [ExtensionKeySpec]?

    public struct ExtensionKeySpec: Codable, Sendable {
        public var id: String
        public var publicKey: String

        enum CodingKeys: String, CodingKey {
            case id
            case publicKey = "public_key"
        }
    }

    /// `{id: penang.solder_paste, module: extensions/solder-paste.wasm, sha256: …, config: {thaw_hours: 4},
    /// fuel: 1000000, memory_pages: 16}`.
    public struct ExtensionSpec: Codable, Sendable {
        public var id: String
        /// The `.wasm` file, relative to site.yaml's folder.
        public var module: String
        /// The module's SHA-256 in hex: the file must be exactly this one. Give it, `signature`, or both.
        public var sha256: String?
        /// A file with the module's Ed25519 signature (base64): a key under `extension_keys` must verify it. A
        /// signed module central publishes is installed beside site.yaml with its signature; until it first is, the
        /// extension is left out with a warning.
        public var signature: String?
        /// Its settings, by the names its manifest declares: numbers, or texts for its text settings.
        public var config: [String: ExtensionSetting]?
        /// Instructions one call may run; 1,000,000 when absent.
        public var fuel: Int?
        /// Linear memory it may use, in 64 KiB pages; 16 (1 MiB) when absent.
        public var memoryPages: Int?

        enum CodingKeys: String, CodingKey {
            case id, module, sha256, signature, config, fuel
            case memoryPages = "memory_pages"
        }
    }
    public var scheduling: SchedulingSpec?
    public var calendars: [CalendarSpec]?
    public var workCentres: [WorkCentreSpec]?
    public var products: [ProductSpec]?
    public var staff: [StaffSpec]?
    public var rules: RulesSpec?
    /// Measuring instruments and how they are calibrated (`Instrument`).
    public var instruments: [InstrumentSpec]?
    /// What the site buys (`Item`).
    public var items: [ItemSpec]?
    /// Who it buys from, with approvals per item.
    public var suppliers: [SupplierSpec]?
    /// `materials: {unapproved_supplier: refuse | hold}`.
    public var materials: MaterialsSpec?
    /// `maintenance: {plans: [...]}`: routine maintenance of the work centres.
    public var maintenance: MaintenanceSpec?
    /// `quality: {spc: [...]}`: checks kept on control charts.
    public var quality: QualitySpec?
    /// `alerts: {smtp: …, routes: [...], escalation: …}`: who is told about which findings.
    public var alerts: AlertsSpec?
    /// Why a work centre may stand still, as production reports name it (`breakdown`, `no_material`); a report
    /// with downtime must give one when the list is there.
    public var downtimeReasons: [DowntimeReasonSpec]?

    enum CodingKeys: String, CodingKey {
        case site, calendars, products, staff, rules, scheduling, instruments, items, suppliers, materials, maintenance
        case quality, alerts, people, costs, extensions
        case extensionKeys = "extension_keys"
        case workCentres = "work_centres"
        case downtimeReasons = "downtime_reasons"
    }
}

/// A downtime reason: a code (`breakdown`), or a code with its loss and whether it is planned
/// (`{id: no_material, loss: minor_stops, planned: false}`).
public struct DowntimeReasonSpec: Codable, Sendable, Hashable {
    public var id: String
    public var loss: Loss?
    public var planned: Bool?

    enum CodingKeys: String, CodingKey { case id, loss, planned }

    public init(from decoder: any Decoder) throws {
        if let code = try? decoder.singleValueContainer().decode(String.self) {
            id = code
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        loss = try container.decodeIfPresent(Loss.self, forKey: .loss)
        planned = try container.decodeIfPresent(Bool.self, forKey: .planned)
    }
}

/// One attribute value or a list of them; written back as it was read.
public enum AttributeValues: Codable, Sendable, Hashable {
    case one(String)
    case many([String])

    public var values: [String] {
        switch self {
        case .one(let value): return [value]
        case .many(let values): return values
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let list = try? container.decode([String].self) {
            self = .many(list)
        } else {
            self = .one(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .one(let value): try container.encode(value)
        case .many(let values): try container.encode(values)
        }
    }
}
