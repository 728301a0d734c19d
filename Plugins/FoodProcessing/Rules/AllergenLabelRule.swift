import Foundation
import TaktCore

/// A product's declared allergens (its label, the `allergens` attribute) must be the allergens its ingredients
/// bring through its bill of materials (Regulation (EU) No 1169/2011 art. 9(1)(c) and 21): the site's sweep
/// raises a finding for each product whose label differs, once for each difference. Allergen cleans are planned
/// on the ingredients' allergens whatever the label says. A product that declares no allergens has no label (an
/// intermediate such as dough) and is not compared.
struct AllergenLabelRule: EventRule {
    let id: RuleID

    var summary: String { "a product's declared allergens equal those its ingredients bring (EU 1169/2011 art. 21)" }

    func evaluate(_ event: SiteEvent, in context: RuleContext) -> [Finding] {
        guard case .tick(let now) = event else { return [] }
        return context.products.values.sorted { $0.id < $1.id }.compactMap { product in
            // A product without a bill of materials cannot be compared; one that declares no allergens at all has
            // no label (an intermediate such as dough): it still carries its ingredients' into allergen cleans.
            guard !product.bom.isEmpty, let label = product.declared(Allergen.attribute) else { return nil }
            let brought = Set(product.derived[Allergen.attribute] ?? [])
            guard label != brought else { return nil }
            let missing = brought.subtracting(label).sorted()
            let extra = label.subtracting(brought).sorted()
            var parts: [String] = []
            if !missing.isEmpty {
                parts.append("its ingredients bring \(missing.joined(separator: ", ")) that it does not declare")
            }
            if !extra.isEmpty { parts.append("it declares \(extra.joined(separator: ", ")) that no ingredient brings") }
            return Finding(
                rule: id, severity: missing.isEmpty ? .minor : .critical,
                subject: .init(.init(rawValue: "product"), product.id),
                message: "\(product.name): " + parts.joined(separator: "; ")
                    + " (\(FoodProcessing.Law.allergenSource); Regulation (EU) No 1169/2011 art. 21)",
                actions: [
                    FindingAction(
                        .correctiveAction,
                        "Correct the label (the product's allergens in site.yaml) or the recipe; hold stock labelled wrongly"
                    )
                ], raisedAt: now,
                key:
                    "label:\(product.id):\(label.sorted().joined(separator: ","))|\(brought.sorted().joined(separator: ","))"
            )
        }
    }
}
