import TaktCore

/// HACCP for food plants: critical control points, allergen changeovers, sanitation runs, shelf life, and who
/// may handle food or clean machines. See README.md beside this file.
public struct FoodProcessing: SiteModule {
    public static let id: ModuleID = "food_processing"
    public static let summary =
        "HACCP control points, allergens (EU 1169/2011), sanitation, shelf life, food-safety staffing"

    /// Legal and advised limits, with where they come from.
    /// What holds in every jurisdiction the module knows: the cooking equivalents and the allergen list.
    public enum Law {
        /// Core temperature and the time it must be held, any one of which makes food safe.
        public static let cookingPairs: [(celsius: Double, seconds: Int)] = [
            (75, 30), (70, 120), (80, 6), (65, 600), (60, 2700),
        ]
        public static let allergenSource = "Regulation (EU) No 1169/2011, Annex II"
    }

    /// A product's allergens include its ingredients' (through its bill of materials).
    public static var inheritedAttributes: [String] { [Allergen.attribute] }

    public let configuration: Configuration

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    var hygieneCertificate: String { configuration.people?.hygieneCertificate ?? "food_hygiene_level_2" }

    public func validate() throws(CoreError) {
        let metal = configuration.metalDetection.settings
        let sizes = [metal?.ferrousMm ?? 2.0, metal?.nonFerrousMm ?? 2.5, metal?.stainlessMm ?? 3.0]
        for (range, size) in zip(Self.testPieceRanges, sizes) where !(range.low...range.high).contains(size) {
            throw .invalidConfiguration(
                path: "metal_detection.\(range.key)",
                message: "a \(CriticalLimits.format(size)) mm \(range.material) test piece is outside the "
                    + "\(CriticalLimits.format(range.low))–\(CriticalLimits.format(range.high)) mm that food metal "
                    + "detectors are tested with: check the size (in mm, the sphere's diameter)")
        }
        if !(sizes[0] <= sizes[1] && sizes[1] <= sizes[2]) {
            throw .invalidConfiguration(
                path: "metal_detection",
                message: "test pieces of ferrous \(CriticalLimits.format(sizes[0])) mm, non-ferrous "
                    + "\(CriticalLimits.format(sizes[1])) mm and stainless \(CriticalLimits.format(sizes[2])) mm: a "
                    + "detector finds ferrous metal most easily and stainless steel least, so the sizes rise in that "
                    + "order; two are probably swapped")
        }
        for point in configuration.controlPoints where point.on && point.workCentres?.isEmpty == true {
            throw .invalidConfiguration(
                path: "\(point.key).\(point.key == "metal_detection" ? "detectors" : "work_centres")",
                message:
                    "an empty list would check this control point nowhere; write `\(point.key): false` to turn it off")
        }
        if let share = configuration.minimumRemainingShelfLifeShare, !(share >= 0 && share < 1) {
            throw .invalidConfiguration(
                path: "minimum_remaining_shelf_life_share",
                message: "a share from 0 up to (not including) 1, such as 0.5")
        }
        let spans: [(String, TimeSpan?)] = [
            ("chill.every", configuration.chill.settings?.every),
            ("receiving.every", configuration.receiving.settings?.every),
            ("cooking.every", configuration.cooking.settings?.every),
            ("hot_holding.every", configuration.hotHolding.settings?.every), ("metal_detection.every", metal?.every),
            ("allergens.clean", configuration.allergens?.clean),
        ]
        for (path, span) in spans {
            if let span, span.seconds <= 0 {
                throw .invalidConfiguration(path: path, message: "must be longer than zero")
            }
        }
        for (index, run) in (configuration.sanitation ?? []).enumerated() where run.every.seconds <= 0 {
            throw .invalidConfiguration(path: "sanitation[\(index)].every", message: "must be longer than zero")
        }
    }

    /// The law depends on where the plant is: registration needs the site.
    public func register(into book: inout RuleBook) throws(CoreError) {
        _ = try Self.jurisdiction(for: nil)
    }

    public func register(into book: inout RuleBook, for site: Site) throws(CoreError) {
        let law = try Self.jurisdiction(for: site.country)
        try checkLegalLimits(law)
        book.addLegalLimits(Self.legalLimits.rows(in: [law.code]))
        try registerControlPoints(into: &book, law: law)
        book.requireRemainingShelfLife(share: configuration.minimumRemainingShelfLifeShare ?? 0.5)
        try registerAllergens(into: &book)
        try book.addHygiene(AllergenLabelRule(id: "food_processing.allergen.label"))
        for (index, run) in (configuration.sanitation ?? []).enumerated() {
            try book.addMaximumRun(
                MaximumRunRule(
                    id: try Self.id.appending("sanitation.run\(index + 1)"), workCentres: run.workCentres,
                    maximum: run.every, task: "sanitation clean", taskDuration: run.clean ?? .minutes(30)))
        }
        try book.addHygiene(ExpiredStockRule(id: "food_processing.shelf_life.expired"))
        try book.addHygiene(FirstExpiryFirstOutRule(id: "food_processing.shelf_life.fefo"))
        try registerPeople(into: &book, law: law)
    }

    /// The test-piece sizes a food metal detector is plausibly tested with, by material, in mm (sphere
    /// diameter): smaller than the smallest no detector finds; larger than the largest proves nothing about the
    /// product. Sites set their own within these from their HACCP plan and their customers' codes of practice.
    public static let testPieceRanges: [(key: String, material: String, low: Double, high: Double)] = [
        ("ferrous_mm", "ferrous", 0.8, 4), ("non_ferrous_mm", "non-ferrous", 1, 5),
        ("stainless_mm", "stainless steel", 1.2, 6),
    ]

    /// A site may be stricter than the law, never looser.
    func checkLegalLimits(_ law: Jurisdiction) throws(CoreError) {
        if let max = configuration.receiving.settings?.maxCelsius, max > law.receivingCeiling {
            throw .invalidConfiguration(
                path: "receiving.max_celsius",
                message: "\(CriticalLimits.format(max)) °C is above the legal maximum "
                    + "\(CriticalLimits.format(law.receivingCeiling)) °C in \(law.name) (\(law.receivingSource))")
        }
        if let max = configuration.chill.settings?.maxCelsius, max > law.chillCeiling {
            throw .invalidConfiguration(
                path: "chill.max_celsius",
                message: "\(CriticalLimits.format(max)) °C is above the legal maximum "
                    + "\(CriticalLimits.format(law.chillCeiling)) °C in \(law.name) (\(law.chillSource))")
        }
        if let min = configuration.hotHolding.settings?.minCelsius, min < law.hotHoldMin {
            throw .invalidConfiguration(
                path: "hot_holding.min_celsius",
                message: "\(CriticalLimits.format(min)) °C is below the legal minimum "
                    + "\(CriticalLimits.format(law.hotHoldMin)) °C in \(law.name) (\(law.hotHoldSource))")
        }
    }

    /// Products may only name the 14 allergens of Annex II, and every configured work centre must exist.
    /// A line left out of `allergens.lines` gets no allergen clean; that is only safe when every product it
    /// runs carries the same allergens.
    public func advice(site: SiteDefinition) -> [Advice] {
        guard let lines = configuration.allergens?.lines, !lines.isEmpty else { return [] }
        var advice: [Advice] = []
        for centre in site.workCentres where lines[centre.id] == nil {
            let products = site.products.values.filter { product in
                product.routing.contains { $0.workCentres.contains(centre.id) }
            }.sorted { $0.id < $1.id }
            let sets = Set(products.map { Set($0.values(of: Allergen.attribute)) })
            guard sets.count > 1 else { continue }
            let listed = products.map { product in
                let allergens = product.values(of: Allergen.attribute).sorted()
                return "\(product.id): \(allergens.isEmpty ? "none" : allergens.joined(separator: ", "))"
            }
            advice.append(
                Advice(
                    path: "modules.food_processing.allergens.lines",
                    message: "\(centre.id) runs products with different allergens (\(listed.joined(separator: "; "))) "
                        + "but allergens.lines does not list it, so no allergen clean is planned there; add it "
                        + "(\(centre.id): 45m), or remove the list to clean every line"))
        }
        return advice
    }

    public func validate(site: SiteDefinition) throws(CoreError) {
        let known = Set(Allergen.allCases.map(\.rawValue))
        for item in site.items.values.sorted(by: { $0.id < $1.id }) {
            for allergen in (item.attributes[Allergen.attribute] ?? []).sorted() where !known.contains(allergen) {
                throw .invalidConfiguration(
                    path: "items",
                    message:
                        "item \(item.id): '\(allergen)' is not one of the 14 allergens of \(Law.allergenSource) (\(Allergen.names))"
                )
            }
        }
        for product in site.products.values.sorted(by: { $0.id < $1.id }) {
            for allergen in product.values(of: Allergen.attribute).sorted() where !known.contains(allergen) {
                throw .invalidConfiguration(
                    path: "products",
                    message:
                        "product \(product.id): '\(allergen)' is not one of the 14 allergens of \(Law.allergenSource) (\(Allergen.names))"
                )
            }
        }
        let workCentres = Set(site.workCentres.map(\.id))
        var named: [(String, [String])] = [
            ("modules.food_processing.chill.work_centres", configuration.chill.settings?.workCentres ?? []),
            ("modules.food_processing.cooking.work_centres", configuration.cooking.settings?.workCentres ?? []),
            ("modules.food_processing.hot_holding.work_centres", configuration.hotHolding.settings?.workCentres ?? []),
            ("modules.food_processing.cooling.work_centres", configuration.cooling.settings?.workCentres ?? []),
            (
                "modules.food_processing.metal_detection.detectors",
                configuration.metalDetection.settings?.detectors ?? []
            ),
            ("modules.food_processing.allergens.lines", Array((configuration.allergens?.lines ?? [:]).keys)),
            ("modules.food_processing.people.open_food_work_centres", configuration.people?.openFoodWorkCentres ?? []),
        ]
        for (index, run) in (configuration.sanitation ?? []).enumerated() {
            named.append(("modules.food_processing.sanitation[\(index)].work_centres", run.workCentres))
        }
        for (path, ids) in named {
            for id in ids.sorted() where !workCentres.contains(id) {
                throw .invalidConfiguration(path: path, message: "unknown work centre '\(id)'")
            }
        }
    }
}
