import TaktCore

extension FoodProcessing {
    /// The `food_processing:` block of `site.yaml`. Every section and field is optional; the defaults are the
    /// legal and advised values named on each field. Each control point is on unless the site writes `false`
    /// for it (`hot_holding: false` at a plant with no hot holding); `takt site show` lists which are off.
    public struct Configuration: Codable, Sendable {
        /// Chilled storage (CCP): the site's limit, never above the legal 8 °C; `false` turns it off.
        public var chill: Switchable<Chill> = .on(Chill())
        /// Cooking (CCP): core temperature and the time held at it; `false` turns it off.
        public var cooking: Switchable<Monitored> = .on(Monitored())
        /// Hot holding (CCP): at or above 63 °C; `false` turns it off.
        public var hotHolding: Switchable<HotHolding> = .on(HotHolding())
        /// Cooling of cooked food (CCP): 57 → 21 °C within 2 h and → 5 °C within 6 h; `false` turns it off.
        public var cooling: Switchable<Monitored> = .on(Monitored())
        /// Receiving chilled deliveries (CCP): the delivery's temperature, at most the legal 8 °C (or the site's
        /// tighter `max_celsius`); a warmer delivery goes on hold; `false` turns it off.
        public var receiving: Switchable<Chill> = .on(Chill())
        /// Metal detection (CCP): test pieces detected at the start of each run and at an interval; `false` turns
        /// it off.
        public var metalDetection: Switchable<MetalDetection> = .on(MetalDetection())
        /// Allergen changeovers on shared lines.
        public var allergens: Allergens?
        /// Maximum run lengths between sanitation cleans.
        public var sanitation: [Sanitation]?
        /// Who may handle open food, record control points and clean machines.
        public var people: People?
        /// The share of a product's shelf life (its `shelf_life` attribute) it must still have at its due date,
        /// unless the product names `minimum_remaining_shelf_life`; 0.5 when absent. Planning makes food no
        /// earlier than that allows.
        public var minimumRemainingShelfLifeShare: Double?

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            chill = try container.decodeSwitchable(Chill.self, forKey: .chill)
            cooking = try container.decodeSwitchable(Monitored.self, forKey: .cooking)
            hotHolding = try container.decodeSwitchable(HotHolding.self, forKey: .hotHolding)
            cooling = try container.decodeSwitchable(Monitored.self, forKey: .cooling)
            receiving = try container.decodeSwitchable(Chill.self, forKey: .receiving)
            metalDetection = try container.decodeSwitchable(MetalDetection.self, forKey: .metalDetection)
            allergens = try container.decodeIfPresent(Allergens.self, forKey: .allergens)
            sanitation = try container.decodeIfPresent([Sanitation].self, forKey: .sanitation)
            people = try container.decodeIfPresent(People.self, forKey: .people)
            minimumRemainingShelfLifeShare = try container.decodeIfPresent(
                Double.self, forKey: .minimumRemainingShelfLifeShare)
        }

        enum CodingKeys: String, CodingKey {
            case chill, cooking, cooling, receiving, allergens, sanitation, people
            case hotHolding = "hot_holding"
            case metalDetection = "metal_detection"
            case minimumRemainingShelfLifeShare = "minimum_remaining_shelf_life_share"
        }

        /// Each control point's key and whether it is on, for `validate` and `takt site show`.
        var controlPoints: [(key: String, workCentres: [String]?, on: Bool)] {
            [
                ("chill", chill.settings?.workCentres, chill.isOn),
                ("cooking", cooking.settings?.workCentres, cooking.isOn),
                ("hot_holding", hotHolding.settings?.workCentres, hotHolding.isOn),
                ("cooling", cooling.settings?.workCentres, cooling.isOn),
                ("receiving", receiving.settings?.workCentres, receiving.isOn),
                ("metal_detection", metalDetection.settings?.detectors, metalDetection.isOn),
            ]
        }
    }

    public struct Chill: Codable, Sendable {
        public init() {}

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
        public init() {}

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
        public init() {}

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
        public init() {}

        /// The detector lines; site-wide when absent.
        public var detectors: [String]?
        /// Test interval during a run; 1h when absent. Test also at the start of each run.
        public var every: TimeSpan?
        /// Test-piece sizes in mm (sphere diameter); 2.0, 2.5 and 3.0 when absent. Each must lie in its material's
        /// plausible range (`FoodProcessing.testPieceRanges`), and ferrous ≤ non-ferrous ≤ stainless (stainless
        /// steel is the hardest to detect).
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
