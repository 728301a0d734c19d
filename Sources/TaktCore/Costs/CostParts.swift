import Foundation

/// A cost split the way every costing in Takt reports it: materials, labour, machine time, overhead, and what
/// was recorded by hand against the order (freight, a repair).
public struct CostParts: Hashable, Sendable, Codable {
    public var material = 0.0
    public var labour = 0.0
    public var machine = 0.0
    public var overhead = 0.0
    /// Costs recorded with `takt costs add --order`: outside any standard.
    public var other = 0.0

    public init(material: Double = 0, labour: Double = 0, machine: Double = 0, overhead: Double = 0, other: Double = 0)
    {
        self.material = material
        self.labour = labour
        self.machine = machine
        self.overhead = overhead
        self.other = other
    }

    public var total: Double { material + labour + machine + overhead + other }

    /// The parts by the category names budgets use (`material`, `labour`, `machine`, `overhead`).
    public var byCategory: [String: Double] {
        ["material": material, "labour": labour, "machine": machine, "overhead": overhead]
    }

    public static func + (a: CostParts, b: CostParts) -> CostParts {
        CostParts(
            material: a.material + b.material, labour: a.labour + b.labour, machine: a.machine + b.machine,
            overhead: a.overhead + b.overhead, other: a.other + b.other)
    }

    /// Money to the cent, half away from zero, as every figure is shown.
    public static func cents(_ amount: Double) -> Double { (amount * 100).rounded() / 100 }
}
