import TaktCore

/// Acme's own compiled module: the hydraulic press's oil temperature, checked every shift. It stands for any
/// company module that lives outside Takt's repository and is linked into the company's own `takt`.
public struct AcmePress: SiteModule {
    public static let id: ModuleID = "acme_press"
    public static let summary = "hydraulic press oil temperature"

    public struct Configuration: Codable, Sendable {
        /// The highest oil temperature, °C; 60 when absent, never above 60 (the pump maker's limit).
        public var maxCelsius: Double?
        /// The presses.
        public var workCentres: [String]?

        enum CodingKeys: String, CodingKey {
            case maxCelsius = "max_celsius"
            case workCentres = "work_centres"
        }
    }

    let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    public func validate() throws(CoreError) {
        if let max = configuration.maxCelsius, max > 60 {
            throw .invalidConfiguration(
                path: "max_celsius", message: "\(max) °C is above the pump maker's limit of 60 °C")
        }
    }

    public func register(into book: inout RuleBook) throws(CoreError) {
        try book.addSafety(
            CheckDefinition(
                id: "acme_press.oil", name: "Press oil temperature", unit: "°C",
                limits: .init(max: configuration.maxCelsius ?? 60), every: .hours(8),
                workCentres: configuration.workCentres ?? [], severity: .major, onBreach: [.blockWorkCentre],
                correctiveAction: "Stop the press; let the oil cool; check the cooler", source: "Pump manual §4.2"))
    }
}
