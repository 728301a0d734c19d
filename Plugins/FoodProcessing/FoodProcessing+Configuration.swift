import TaktCore

extension FoodProcessing {
    /// The `food_processing:` block of `site.yaml`. Every section and field is optional; the defaults are the
    /// legal and advised values named on each field.
    public struct Configuration: Codable, Sendable {
        /// Chilled storage (CCP): the site's limit, never above the legal 8 °C.
        public var chill: Chill?
        /// Cooking (CCP): core temperature and the time held at it.
        public var cooking: Monitored?
        /// Hot holding (CCP): at or above 63 °C.
        public var hotHolding: HotHolding?
        /// Cooling of cooked food (CCP): 57 → 21 °C within 2 h and → 5 °C within 6 h.
        public var cooling: Monitored?
        /// Metal detection (CCP): test pieces detected at the start of each run and at an interval.
        public var metalDetection: MetalDetection?
        /// Allergen changeovers on shared lines.
        public var allergens: Allergens?
        /// Maximum run lengths between sanitation cleans.
        public var sanitation: [Sanitation]?
        /// Who may handle open food, record control points and clean machines.
        public var people: People?

        public init() {}

        enum CodingKeys: String, CodingKey {
            case chill, cooking, cooling, allergens, sanitation, people
            case hotHolding = "hot_holding"
            case metalDetection = "metal_detection"
        }
    }

    public struct Chill: Codable, Sendable {
        /// The site's chill limit in °C; advised 5 (the default), legal maximum 8.
        public var maxCelsius: Double?
        /// How often it is recorded; 4h when absent.
        public var every: TimeSpan?
        /// The chillers it is recorded at; site-wide when absent.
        public var workCentres: [String]?

        enum CodingKeys: String, CodingKey {
            case every
            case maxCelsius = "max_celsius"
            case workCentres = "work_centres"
        }
    }

    public struct Monitored: Codable, Sendable {
        /// How often it is recorded; not tracked for being overdue when absent.
        public var every: TimeSpan?
        /// Where it is recorded; site-wide when absent.
        public var workCentres: [String]?

        enum CodingKeys: String, CodingKey {
            case every
            case workCentres = "work_centres"
        }
    }

    public struct HotHolding: Codable, Sendable {
        /// The site's hot-holding minimum in °C; 63 (the legal minimum) when absent, never lower.
        public var minCelsius: Double?
        /// How often it is recorded; 2h when absent.
        public var every: TimeSpan?
        public var workCentres: [String]?

        enum CodingKeys: String, CodingKey {
            case every
            case minCelsius = "min_celsius"
            case workCentres = "work_centres"
        }
    }

    public struct MetalDetection: Codable, Sendable {
        /// The detector lines; site-wide when absent.
        public var detectors: [String]?
        /// Test interval during a run; 1h when absent. Test also at the start of each run.
        public var every: TimeSpan?
        /// Test-piece sizes in mm (sphere diameter); 2.0, 2.5 and 3.0 when absent.
        public var ferrousMm: Double?
        public var nonFerrousMm: Double?
        public var stainlessMm: Double?

        enum CodingKeys: String, CodingKey {
            case detectors, every
            case ferrousMm = "ferrous_mm"
            case nonFerrousMm = "non_ferrous_mm"
            case stainlessMm = "stainless_mm"
        }
    }

    public struct Allergens: Codable, Sendable {
        /// Shared lines and the length of their full allergen clean; every work centre with `clean` when absent.
        public var lines: [String: TimeSpan]?
        /// Length of a full allergen clean where a line does not name its own; 60m when absent.
        public var clean: TimeSpan?
    }

    public struct Sanitation: Codable, Sendable {
        public var workCentres: [String]
        /// The longest a line may run between cleans, such as 8h.
        public var every: TimeSpan
        /// How long the clean takes; 30m when absent.
        public var clean: TimeSpan?

        enum CodingKeys: String, CodingKey {
            case every, clean
            case workCentres = "work_centres"
        }
    }

    public struct People: Codable, Sendable {
        /// Work centres where people handle open food and need a valid hygiene certificate.
        public var openFoodWorkCentres: [String]?
        /// The certificate kind that counts; `food_hygiene_level_2` when absent.
        public var hygieneCertificate: String?
        /// The skill that allows lock-out/tag-out; `loto_trained` when absent.
        public var lotoSkill: String?

        enum CodingKeys: String, CodingKey {
            case openFoodWorkCentres = "open_food_work_centres"
            case hygieneCertificate = "hygiene_certificate"
            case lotoSkill = "loto_skill"
        }
    }
}
