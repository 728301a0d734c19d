import TaktCore

extension FoodProcessing {
    /// The law food_processing enforces in one place, chosen from `site.country`: its numbers come from
    /// `legalLimits` (the one table of them), with the texts it cites. A site in a place the module has no table
    /// for is refused at validation, never given another country's law.
    public struct Jurisdiction: Sendable {
        public var code: String
        public var name: String
        /// The chill limit when the site sets none, °C: the advice, colder than the law.
        public var chillAdvised: Double
        public var coolingSource: String
        public var lotoSource: String

        /// The limit `id` in force now (the open-ended row) in this jurisdiction.
        func limit(_ id: String) -> LegalLimit? {
            FoodProcessing.legalLimits.rows.first { $0.id == id && $0.jurisdiction == code && $0.until == nil }
        }

        /// Every period of `id` here, for a check to judge each reading by the law of its own date.
        func periods(_ id: String) -> [LegalLimit] {
            FoodProcessing.legalLimits.rows.filter { $0.id == id && $0.jurisdiction == code }
        }

        /// The warmest chilled storage may be, °C: a site may set a colder limit, never a warmer one.
        public var chillCeiling: Double { limit(Limit.chill)?.value ?? 8 }
        public var chillSource: String { limit(Limit.chill)?.citation ?? "" }
        public var hotHoldMin: Double { limit(Limit.hotHold)?.value ?? 63 }
        public var hotHoldSource: String { limit(Limit.hotHold)?.citation ?? "" }
        public var cookingSource: String { limit(Limit.cook)?.citation ?? "" }
        /// The warmest a chilled delivery may arrive, °C.
        public var receivingCeiling: Double { limit(Limit.receiving)?.value ?? chillCeiling }
        public var receivingSource: String { limit(Limit.receiving)?.citation ?? chillSource }
        /// Food reheated to be served hot must reach at least this core temperature, °C.
        public var reheatMin: Double? { limit(Limit.reheat)?.value }
        public var reheatSource: String? { limit(Limit.reheat)?.citation }
    }

    /// The ids of food_processing's legal numbers.
    public enum Limit {
        public static let chill = "food_processing.chill.max"
        public static let hotHold = "food_processing.hot_hold.min"
        public static let reheat = "food_processing.reheat.min"
        public static let cook = "food_processing.cook.min"
        public static let receiving = "food_processing.receiving.max"
    }

    static let coolingGuidance =
        "Regulation (EC) No 852/2004, Annex II, ch. IX, point 6 (cool as quickly as possible); "
        + "times after FDA Food Code 3-501.14"

    /// Every legal number food_processing enforces, by jurisdiction and date, with its citation. Where a place's
    /// law names no figure, the row says so and cites the guidance the module applies.
    public static let legalLimits: LegalLimitTable = {
        var rows: [LegalLimit] = []
        let uk: [(code: String, regulations: String, guidance: String)] = [
            ("GB-ENG", "Food Safety and Hygiene (England) Regulations 2013, Sch. 4", "FSA"),
            ("GB-WLS", "Food Hygiene (Wales) Regulations 2006, Sch. 4", "FSA"),
            ("GB-NIR", "Food Hygiene Regulations (Northern Ireland) 2006, Sch. 4", "FSA"),
        ]
        for place in uk {
            rows += [
                LegalLimit(
                    id: Limit.chill, subject: "Chilled storage temperature", .atMost, 8, unit: "°C",
                    jurisdiction: place.code,
                    citation: "\(place.regulations): 8 °C legal maximum; \(place.guidance) advice 5 °C"),
                LegalLimit(
                    id: Limit.hotHold, subject: "Hot holding temperature", .atLeast, 63, unit: "°C",
                    jurisdiction: place.code, citation: "\(place.regulations): hot holding at 63 °C or above"),
                LegalLimit(
                    id: Limit.reheat, subject: "Reheating core temperature", .atLeast, 75, unit: "°C",
                    jurisdiction: place.code,
                    citation: "\(place.guidance) guidance: reheat until the core reaches 75 °C (no statutory figure)"),
                LegalLimit(
                    id: Limit.cook, subject: "Cooking core temperature (held 30 s)", .atLeast, 75, unit: "°C",
                    jurisdiction: place.code,
                    citation: "\(place.guidance) cooking guidance: 75 °C for 30 s or an equivalent time and temperature"
                ),
            ]
        }
        let scotland = "Food Hygiene (Scotland) Regulations 2006, Sch. 4"
        rows += [
            LegalLimit(
                id: Limit.chill, subject: "Chilled storage temperature", .atMost, 8, unit: "°C", jurisdiction: "GB-SCT",
                citation: "\(scotland): kept in a refrigerator or cool place (no statutory figure; 8 °C used "
                    + "as the ceiling); FSS advice 5 °C"),
            LegalLimit(
                id: Limit.hotHold, subject: "Hot holding temperature", .atLeast, 63, unit: "°C", jurisdiction: "GB-SCT",
                citation: "\(scotland): hot holding at 63 °C or above"),
            LegalLimit(
                id: Limit.reheat, subject: "Reheating core temperature", .atLeast, 82, unit: "°C",
                jurisdiction: "GB-SCT", citation: "\(scotland): food reheated to be served hot reaches 82 °C"),
            LegalLimit(
                id: Limit.cook, subject: "Cooking core temperature (held 30 s)", .atLeast, 75, unit: "°C",
                jurisdiction: "GB-SCT",
                citation: "FSS cooking guidance: 75 °C for 30 s or an equivalent time and temperature"),
        ]
        let ireland = "Regulation (EC) No 852/2004 (S.I. No. 432 of 2009)"
        rows += [
            LegalLimit(
                id: Limit.chill, subject: "Chilled storage temperature", .atMost, 5, unit: "°C", jurisdiction: "IE",
                citation: "\(ireland); FSAI guidance: chilled food at 5 °C or below"),
            LegalLimit(
                id: Limit.hotHold, subject: "Hot holding temperature", .atLeast, 63, unit: "°C", jurisdiction: "IE",
                citation: "\(ireland); FSAI guidance: hot holding at 63 °C or above"),
            LegalLimit(
                id: Limit.reheat, subject: "Reheating core temperature", .atLeast, 70, unit: "°C", jurisdiction: "IE",
                citation: "FSAI guidance: reheat until the core reaches 70 °C (no statutory figure)"),
            LegalLimit(
                id: Limit.cook, subject: "Cooking core temperature (held 30 s)", .atLeast, 75, unit: "°C",
                jurisdiction: "IE",
                citation: "FSAI guidance: core temperature of 75 °C or an equivalent time and temperature"),
        ]
        // Chilled food on delivery: the law's chill limit holds on receipt as in storage.
        for chill in rows.filter({ $0.id == Limit.chill }) {
            rows.append(
                LegalLimit(
                    id: Limit.receiving, subject: "Chilled food on delivery", .atMost, chill.value, unit: "°C",
                    jurisdiction: chill.jurisdiction, from: chill.from, until: chill.until,
                    citation: chill.citation + " (the same limit on receipt)"))
        }
        return LegalLimitTable(rows)
    }()

    /// The places food_processing knows the law of.
    public static let jurisdictions: [String: Jurisdiction] = [
        "GB-ENG": Jurisdiction(
            code: "GB-ENG", name: "England", chillAdvised: 5, coolingSource: coolingGuidance,
            lotoSource: "Provision and Use of Work Equipment Regulations 1998, reg. 19"),
        "GB-WLS": Jurisdiction(
            code: "GB-WLS", name: "Wales", chillAdvised: 5, coolingSource: coolingGuidance,
            lotoSource: "Provision and Use of Work Equipment Regulations 1998, reg. 19"),
        "GB-NIR": Jurisdiction(
            code: "GB-NIR", name: "Northern Ireland", chillAdvised: 5, coolingSource: coolingGuidance,
            lotoSource: "Provision and Use of Work Equipment Regulations (Northern Ireland) 1999, reg. 19"),
        "GB-SCT": Jurisdiction(
            code: "GB-SCT", name: "Scotland", chillAdvised: 5, coolingSource: coolingGuidance,
            lotoSource: "Provision and Use of Work Equipment Regulations 1998, reg. 19"),
        "IE": Jurisdiction(
            code: "IE", name: "Ireland", chillAdvised: 5, coolingSource: coolingGuidance,
            lotoSource:
                "Safety, Health and Welfare at Work (General Application) Regulations 2007 (S.I. No. 299), Part 2, ch. 1"
        ),
    ]

    /// The jurisdiction for `country`: `GB` alone means England (with advice to say which part of the UK).
    static func jurisdiction(for country: String?) throws(CoreError) -> Jurisdiction {
        let known = jurisdictions.keys.sorted().joined(separator: ", ")
        guard let country else {
            throw .invalidConfiguration(
                path: "site.country",
                message: "food_processing enforces the food law of where the plant is: give site.country (\(known))")
        }
        if let found = jurisdictions[country] ?? (country == "GB" ? jurisdictions["GB-ENG"] : nil) { return found }
        throw .invalidConfiguration(
            path: "site.country",
            message: "food_processing has no table of the food law of \(country) (it has \(known)); "
                + "ask for it rather than run under another country's law")
    }
}
