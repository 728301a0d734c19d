/// The 14 allergens that must be declared under Regulation (EU) No 1169/2011, Annex II (retained in UK law),
/// by the names a product's `allergens` attribute uses.
public enum Allergen: String, CaseIterable, Sendable {
    case gluten  // cereals containing gluten
    case crustaceans
    case eggs
    case fish
    case peanuts
    case soybeans
    case milk
    case treeNuts = "tree_nuts"
    case celery
    case mustard
    case sesame
    case sulphites  // sulphur dioxide and sulphites above 10 mg/kg or 10 mg/l
    case lupin
    case molluscs

    /// The product attribute that lists a product's allergens.
    public static let attribute = "allergens"

    /// Every accepted name, for messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
