import TaktCore

extension FoodProcessing {
    /// The law food_processing enforces in one place, chosen from `site.country`: its numbers and the texts it
    /// cites. A site in a place the module has no table for is refused at validation, never given another
    /// country's law.
    public struct Jurisdiction: Sendable {
        public var code: String
        public var name: String
        /// The warmest chilled storage may be, °C: a site may set a colder limit, never a warmer one.
        public var chillCeiling: Double
        /// The chill limit when the site sets none, °C.
        public var chillAdvised: Double
        public var chillSource: String
        public var hotHoldMin: Double
        public var hotHoldSource: String
        public var cookingSource: String
        public var coolingSource: String
        /// Food reheated to be served hot must reach at least this core temperature, °C, where the law says so.
        public var reheatMin: Double?
        public var reheatSource: String?
        public var lotoSource: String
    }

    static let coolingGuidance =
        "Regulation (EC) No 852/2004, Annex II, ch. IX, point 6 (cool as quickly as possible); "
        + "times after FDA Food Code 3-501.14"

    /// The places food_processing knows the law of.
    public static let jurisdictions: [String: Jurisdiction] = [
        "GB-ENG": Jurisdiction(
            code: "GB-ENG", name: "England", chillCeiling: 8, chillAdvised: 5,
            chillSource:
                "Food Safety and Hygiene (England) Regulations 2013, Sch. 4: 8 °C legal maximum; FSA advice 5 °C",
            hotHoldMin: 63,
            hotHoldSource: "Food Safety and Hygiene (England) Regulations 2013, Sch. 4: hot holding at 63 °C or above",
            cookingSource: "FSA cooking guidance: 75 °C for 30 s or an equivalent time and temperature",
            coolingSource: coolingGuidance,
            lotoSource: "Provision and Use of Work Equipment Regulations 1998, reg. 19"),
        "GB-WLS": Jurisdiction(
            code: "GB-WLS", name: "Wales", chillCeiling: 8, chillAdvised: 5,
            chillSource: "Food Hygiene (Wales) Regulations 2006, Sch. 4: 8 °C legal maximum; FSA advice 5 °C",
            hotHoldMin: 63,
            hotHoldSource: "Food Hygiene (Wales) Regulations 2006, Sch. 4: hot holding at 63 °C or above",
            cookingSource: "FSA cooking guidance: 75 °C for 30 s or an equivalent time and temperature",
            coolingSource: coolingGuidance,
            lotoSource: "Provision and Use of Work Equipment Regulations 1998, reg. 19"),
        "GB-NIR": Jurisdiction(
            code: "GB-NIR", name: "Northern Ireland", chillCeiling: 8, chillAdvised: 5,
            chillSource:
                "Food Hygiene Regulations (Northern Ireland) 2006, Sch. 4: 8 °C legal maximum; FSA advice 5 °C",
            hotHoldMin: 63,
            hotHoldSource: "Food Hygiene Regulations (Northern Ireland) 2006, Sch. 4: hot holding at 63 °C or above",
            cookingSource: "FSA cooking guidance: 75 °C for 30 s or an equivalent time and temperature",
            coolingSource: coolingGuidance,
            lotoSource: "Provision and Use of Work Equipment Regulations (Northern Ireland) 1999, reg. 19"),
        "GB-SCT": Jurisdiction(
            code: "GB-SCT", name: "Scotland", chillCeiling: 8, chillAdvised: 5,
            chillSource:
                "Food Hygiene (Scotland) Regulations 2006, Sch. 4: kept in a refrigerator or cool place (no statutory "
                + "figure; 8 °C used as the ceiling); FSS advice 5 °C",
            hotHoldMin: 63,
            hotHoldSource: "Food Hygiene (Scotland) Regulations 2006, Sch. 4: hot holding at 63 °C or above",
            cookingSource: "FSS cooking guidance: 75 °C for 30 s or an equivalent time and temperature",
            coolingSource: coolingGuidance, reheatMin: 82,
            reheatSource:
                "Food Hygiene (Scotland) Regulations 2006, Sch. 4: food reheated to be served hot reaches 82 °C",
            lotoSource: "Provision and Use of Work Equipment Regulations 1998, reg. 19"),
        "IE": Jurisdiction(
            code: "IE", name: "Ireland", chillCeiling: 5, chillAdvised: 5,
            chillSource:
                "Regulation (EC) No 852/2004 (S.I. No. 432 of 2009); FSAI guidance: chilled food at 5 °C or below",
            hotHoldMin: 63,
            hotHoldSource:
                "Regulation (EC) No 852/2004 (S.I. No. 432 of 2009); FSAI guidance: hot holding at 63 °C or above",
            cookingSource: "FSAI guidance: core temperature of 75 °C or an equivalent time and temperature",
            coolingSource: coolingGuidance,
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
