import TaktCore

/// Cooking is safe when the core reaches one of the legal time-temperature pairs: 75 °C for 30 s, 70 °C for
/// 2 min, 80 °C for 6 s, 65 °C for 10 min or 60 °C for 45 min. The reading's value is the core temperature and
/// its `held_for` the time held at it; exactly on a pair is safe.
struct CookingRule: EventRule {
    let id: RuleID
    let check: RuleID
    /// What the site's jurisdiction cites for it.
    let source: String

    var summary: String {
        "cooking: "
            + FoodProcessing.Law.cookingPairs.map {
                "\(CriticalLimits.format($0.celsius)) °C for \(TimeSpan(seconds: $0.seconds))"
            }
            .joined(separator: ", or ") + "; breach holds the lot"
    }

    func evaluate(_ event: SiteEvent, in context: RuleContext) -> [Finding] {
        guard case .reading(let reading) = event, reading.check == check else { return [] }
        let held = reading.heldFor?.seconds ?? 0
        if FoodProcessing.Law.cookingPairs.contains(where: { reading.value >= $0.celsius && held >= $0.seconds }) {
            return []
        }
        var actions = [
            FindingAction(.correctiveAction, "Continue cooking until a safe time and temperature is reached")
        ]
        if let lot = reading.lot { actions.insert(FindingAction(.holdLot, lot), at: 0) }
        let heldText = reading.heldFor.map { "held \($0)" } ?? "no time held recorded"
        let core = CriticalLimits.format(reading.value)
        return [
            Finding(
                rule: id, severity: .critical,
                subject: reading.lot.map { .init(.lot, $0) } ?? .init(.check, check.rawValue),
                message: "core \(core) °C, \(heldText), meets no safe time and temperature (\(source))",
                actions: actions, raisedAt: context.now
            )
            .translated([
                .spanish: (
                    "centro a \(core) °C, "
                        + (reading.heldFor.map { "mantenido \($0)" } ?? "sin tiempo de mantenimiento registrado")
                        + ", no alcanza ningún tiempo y temperatura seguros (\(source))",
                    "Siga cocinando hasta alcanzar un tiempo y una temperatura seguros"
                ),
                .malay: (
                    "teras \(core) °C, " + (reading.heldFor.map { "ditahan \($0)" } ?? "tiada masa ditahan direkod")
                        + ", tidak mencapai sebarang masa dan suhu yang selamat (\(source))",
                    "Teruskan memasak sehingga masa dan suhu yang selamat dicapai"
                ),
            ])
        ]
    }
}
