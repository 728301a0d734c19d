import TaktCore

/// Switching a shared line to a product that lacks an allergen the previous product had requires a full
/// allergen clean (its length set per line) and a passing swab before the line is released. Switching to a
/// product whose allergens include all of the previous one's needs none, so allergen-free first is cheapest.
struct AllergenChangeover: ChangeoverRule {
    let id: RuleID
    /// The shared lines and their clean; empty means every work centre, with `clean`.
    let cleanByLine: [String: TimeSpan]
    let clean: TimeSpan

    var summary: String {
        let lines =
            cleanByLine.isEmpty
            ? "every line: \(clean)"
            : cleanByLine.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return "allergen clean + passing swab when the next product lacks an allergen of the previous (\(lines))"
    }

    func changeover(from previous: Product, to next: Product, on workCentre: String) -> Changeover? {
        let duration: TimeSpan
        if cleanByLine.isEmpty {
            duration = clean
        } else if let line = cleanByLine[workCentre] {
            duration = line
        } else {
            return nil
        }
        let carried = previous.values(of: Allergen.attribute).subtracting(next.values(of: Allergen.attribute))
        guard !carried.isEmpty else { return nil }
        return .required(
            duration: duration,
            task: "full allergen clean (\(carried.sorted().joined(separator: ", "))) and passing swab", rule: id)
    }
}
