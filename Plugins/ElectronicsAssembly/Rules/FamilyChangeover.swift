import TaktCore

/// SMT setup families: products that share a feeder set change over quickly; between feeder sets the trolley
/// is swapped, which takes long. The scheduler groups families to save the long changeovers.
struct FamilyChangeover: ChangeoverRule {
    let id: RuleID
    let workCentres: [String]
    let attribute: String
    let within: TimeSpan
    let between: TimeSpan

    var summary: String {
        "\(workCentres.joined(separator: ", ")): \(within) when the \(attribute) stays, \(between) when it changes"
    }

    func changeover(from previous: Product, to next: Product, on workCentre: String) -> Changeover? {
        guard workCentres.contains(workCentre), previous.id != next.id else { return nil }
        let same = !previous.values(of: attribute).isDisjoint(with: next.values(of: attribute))
        let duration = same ? within : between
        guard duration.seconds > 0 else { return nil }
        return .required(
            duration: duration, task: same ? "feeder adjustment within \(attribute)" : "feeder set change", rule: id)
    }
}
