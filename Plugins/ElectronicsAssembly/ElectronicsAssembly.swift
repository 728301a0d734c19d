import TaktCore

/// Electronics assembly: moisture-sensitive devices (J-STD-033), ESD control (ANSI/ESD S20.20), SMT setup
/// families, and inspection and ESD qualifications. See README.md beside this file.
public struct ElectronicsAssembly: SiteModule {
    public static let id: ModuleID = "electronics_assembly"
    public static let summary = "MSD floor life (J-STD-033), ESD tests (ANSI/ESD S20.20), SMT families, IPC-A-610"

    /// The `electronics_assembly:` block of `site.yaml`; every field is optional.
    public struct Configuration: Codable, Sendable {
        /// ESD-protected workstations where each operator tests wrist strap and footwear each shift.
        public var esdStations: [String]?
        /// Stations with continuous wrist-strap monitoring: no per-shift strap test needed there.
        public var continuouslyMonitored: [String]?
        /// How long a passing ESD test clears a person at a station; 8h (one shift) when absent.
        public var esdTestValidFor: TimeSpan?
        /// Placement machines whose changeovers follow setup families.
        public var placers: [String]?
        /// The product attribute naming a product's feeder set (setup family); `family` when absent.
        public var familyAttribute: String?
        /// Changeover within a family; 10m when absent.
        public var withinFamily: TimeSpan?
        /// Changeover between families; 45m when absent.
        public var betweenFamilies: TimeSpan?
        /// Work centres where inspection to IPC-A-610 is done.
        public var inspectionStations: [String]?
        /// The certificate inspection needs; `ipc_a_610` when absent.
        public var inspectionCertificate: String?
        /// The certificate for working in the ESD protected area; `esd_awareness` when absent.
        public var esdTrainingCertificate: String?
        /// Where moisture-sensitive parts are out on the floor: the shop-floor temperature and humidity checks are
        /// recorded there (site-wide when absent).
        public var msdAreas: [String]?

        public init() {}

        enum CodingKeys: String, CodingKey {
            case placers
            case esdStations = "esd_stations"
            case msdAreas = "msd_areas"
            case continuouslyMonitored = "continuously_monitored"
            case esdTestValidFor = "esd_test_valid_for"
            case familyAttribute = "family_attribute"
            case withinFamily = "within_family"
            case betweenFamilies = "between_families"
            case inspectionStations = "inspection_stations"
            case inspectionCertificate = "inspection_certificate"
            case esdTrainingCertificate = "esd_training_certificate"
        }
    }

    public let configuration: Configuration

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    static let wristStrap: RuleID = "electronics_assembly.esd.wrist_strap"
    static let footwear: RuleID = "electronics_assembly.esd.footwear"
    static let ambientTemperature: RuleID = "electronics_assembly.msd.ambient_temperature"
    static let ambientHumidity: RuleID = "electronics_assembly.msd.ambient_humidity"
    static let ipcValidity = "electronics_assembly.ipc_a_610.valid_months"

    /// The numbers of the standards the module enforces (industry standards, not statutes: jurisdiction `any`),
    /// each with its source: ESD resistance limits, the floor life of each moisture sensitivity level, and how
    /// long an IPC-A-610 certification lasts.
    public static let legalLimits: LegalLimitTable = {
        let s2020 = "ANSI/ESD S20.20-2021, Table 3 (personnel grounding)"
        var rows = [
            LegalLimit(
                id: "\(wristStrap.rawValue).min", subject: "Wrist strap system resistance, lower", .atLeast, 7.5e5,
                unit: "Ω",
                jurisdiction: "any",
                citation: "ESD TR53 (wrist strap testers' lower limit: the strap's safety resistor)"),
            LegalLimit(
                id: "\(wristStrap.rawValue).max", subject: "Wrist strap system resistance", .atMost, 3.5e7, unit: "Ω",
                jurisdiction: "any", citation: "\(s2020); test method ESD TR53"),
            LegalLimit(
                id: "\(footwear.rawValue).max", subject: "Person and footwear system resistance", .atMost, 1.0e9,
                unit: "Ω",
                jurisdiction: "any", citation: "\(s2020), method 2; test method ESD TR53"),
            LegalLimit(
                id: "\(ambientTemperature.rawValue).max", subject: "Shop-floor temperature for table 7-1 floor life",
                .atMost, 30, unit: "°C", jurisdiction: "any",
                citation: "IPC/JEDEC J-STD-033D, Table 7-1 (floor life at ≤ 30 °C / 60 % RH; Table 7-2 derates)"),
            LegalLimit(
                id: "\(ambientHumidity.rawValue).max", subject: "Shop-floor humidity for table 7-1 floor life",
                .atMost, 60, unit: "% RH", jurisdiction: "any",
                citation: "IPC/JEDEC J-STD-033D, Table 7-1 (floor life at ≤ 30 °C / 60 % RH; Table 7-2 derates)"),
            LegalLimit(
                id: ipcValidity, subject: "IPC-A-610 certification, from issue", .atMost, 24, unit: "months",
                jurisdiction: "any", citation: "IPC Certification Program: CIS and CIT certificates last 24 months"),
        ]
        for (level, hours) in [("2", 8760.0), ("2a", 672), ("3", 168), ("4", 72), ("5", 48), ("5a", 24)] {
            rows.append(
                LegalLimit(
                    id: "electronics_assembly.msd.floor_life.level\(level)", subject: "Floor life, MSL \(level)",
                    .atMost, hours, unit: "h", jurisdiction: "any",
                    citation: "IPC/JEDEC J-STD-033D, Table 7-1 (at ≤ 30 °C / 60 % RH)"))
        }
        return LegalLimitTable(rows + BakeTable.limits)
    }()

    /// The value of the module's limit `id` (its standards apply in every jurisdiction and have no dates).
    static func limit(_ id: String) -> Double? { legalLimits.rows.first { $0.id == id }?.value }

    public func validate() throws(CoreError) {
        let spans: [(String, TimeSpan?)] = [
            ("esd_test_valid_for", configuration.esdTestValidFor), ("within_family", configuration.withinFamily),
            ("between_families", configuration.betweenFamilies),
        ]
        for (path, span) in spans {
            if let span, span.seconds < 0 { throw .invalidConfiguration(path: path, message: "must not be negative") }
        }
        if let valid = configuration.esdTestValidFor, valid.seconds > 24 * 3600 {
            throw .invalidConfiguration(
                path: "esd_test_valid_for",
                message: "\(valid) is longer than a working day: ANSI/ESD S20.20 asks for a test before work each shift"
            )
        }
    }

    /// Reel events come before reels: their adoption from the core's old tables must drop `reel_events`
    /// (which refers to `reels`) first.
    public static var records: [AnyRecordKind] { [ReelEvent.records.erased, Reel.records.erased] }

    public static var commands: [ModuleCommand] { [ReelsCommand.command] }

    public static var projections: [RecordProjection] { [ReelProjection.projection] }

    public static var pages: [ModulePage] { [ReelsPage.page] }

    public func register(into book: inout RuleBook) throws(CoreError) {
        book.addLegalLimits(Self.legalLimits.rows)
        try book.addHygiene(FloorLifeRule(id: "electronics_assembly.msd.floor_life"))
        try book.addHygiene(BakeRule(id: "electronics_assembly.msd.bake"))
        try book.addHygiene(DryPackRule(id: "electronics_assembly.msd.dry_pack"))
        try book.addPartStock(
            PartStockRule(id: "electronics_assembly.msd.planning", reads: [.latest(Reel.records)]) {
                records, blocks, from in
                Reels.stock(records.all(Reel.records), blocks: blocks, from: from)
            })
        // A received lot of an item with a moisture sensitivity level (`attributes: {msl: [3]}`) is a reel from
        // the day it arrives, in dry storage, its floor life tracked like any other.
        try book.addReceiptRule(
            ReceiptRule(id: "electronics_assembly.msd.receipt") { receipt, site in
                guard let reel = try Reels.reel(receiving: receipt) else { return nil }
                return try Reels.change(adding: reel, at: site, now: receipt.at)
            })
        let stations = configuration.esdStations ?? []
        let monitored = Set(configuration.continuouslyMonitored ?? [])
        let valid = configuration.esdTestValidFor ?? .hours(8)
        let tested = stations.filter { !monitored.contains($0) }
        let names = [
            Self.wristStrap: (en: "wrist strap", es: "pulsera antiestática", ms: "tali pergelangan"),
            Self.footwear: (en: "footwear", es: "calzado", ms: "kasut"),
        ]
        for id in [Self.wristStrap, Self.footwear] {
            guard let name = names[id] else { continue }
            let bounds = Self.legalLimits.rows.filter { $0.id.hasPrefix(id.rawValue + ".") }
            let limits = CriticalLimits(
                min: bounds.first { $0.comparison == .atLeast }?.value,
                max: bounds.first { $0.comparison == .atMost }?.value)
            try book.addSafety(
                CheckDefinition(
                    id: id, name: "ESD \(name.en) system resistance", unit: "Ω", limits: limits,
                    workCentres: id == Self.wristStrap ? tested : stations, severity: .major,
                    onBreach: [.blockOperator],
                    correctiveAction:
                        "Replace or fix the \(name.en), test again; no work at the station until it passes",
                    source: bounds.map(\.citation).first ?? "ANSI/ESD S20.20", releasesOnPass: true
                )
                .bounded(by: bounds)
                .translated(
                    .spanish, name: "Resistencia del sistema de \(name.es) (ESD)",
                    correctiveAction:
                        "Cambie o arregle: \(name.es); pruebe de nuevo; no trabaje en la estación hasta que pase"
                )
                .translated(
                    .malay, name: "Rintangan sistem \(name.ms) (ESD)",
                    correctiveAction: "Ganti atau baiki \(name.ms), uji semula; tiada kerja di stesen sehingga lulus"))
        }
        try registerAmbient(into: &book)
        if !stations.isEmpty {
            var rules: [(RuleID, [String], [RuleID])] = [
                ("electronics_assembly.esd.tested_footwear", stations, [Self.footwear])
            ]
            if !tested.isEmpty { rules.append(("electronics_assembly.esd.tested_strap", tested, [Self.wristStrap])) }
            for (id, places, checks) in rules {
                try book.addClearance(ClearanceRule(id: id, workCentres: places, checks: checks, within: valid))
            }
            try book.addEligibility(
                EligibilityRule(
                    id: "electronics_assembly.esd.trained", workCentres: stations,
                    certificate: configuration.esdTrainingCertificate ?? "esd_awareness"))
        }
        if let placers = configuration.placers, !placers.isEmpty {
            try book.addChangeover(
                FamilyChangeover(
                    id: "electronics_assembly.smt.family_changeover", workCentres: placers,
                    attribute: configuration.familyAttribute ?? "family",
                    within: configuration.withinFamily ?? .minutes(10),
                    between: configuration.betweenFamilies ?? .minutes(45)))
        }
        if let inspection = configuration.inspectionStations, !inspection.isEmpty {
            try book.addEligibility(
                EligibilityRule(
                    id: "electronics_assembly.inspection.certified", workCentres: inspection,
                    certificate: configuration.inspectionCertificate ?? "ipc_a_610",
                    certificateMonths: Self.limit(Self.ipcValidity).map { Int($0) }))
        }
    }

    /// The shop floor's temperature and humidity where reels are out: J-STD-033 table 7-1's floor lives hold only at
    /// ≤ 30 °C / 60 % RH, so a reading above either says the floor lives in use do not apply (table 7-2 derates
    /// them, with figures Takt does not hold).
    private func registerAmbient(into book: inout RuleBook) throws(CoreError) {
        let checks: [(RuleID, String, (en: String, es: String, ms: String))] = [
            (
                Self.ambientTemperature, "°C",
                ("Shop-floor temperature (MSD)", "Temperatura del piso (MSD)", "Suhu lantai (MSD)")
            ),
            (
                Self.ambientHumidity, "% RH",
                ("Shop-floor humidity (MSD)", "Humedad del piso (MSD)", "Kelembapan lantai (MSD)")
            ),
        ]
        for (id, unit, name) in checks {
            let bounds = Self.legalLimits.rows.filter { $0.id.hasPrefix(id.rawValue + ".") }
            try book.addHygiene(
                CheckDefinition(
                    id: id, name: name.en, unit: unit,
                    limits: CriticalLimits(max: bounds.first { $0.comparison == .atMost }?.value),
                    workCentres: configuration.msdAreas ?? [], severity: .major,
                    correctiveAction:
                        "Reels out here are not covered by their table 7-1 floor life: put them back in dry storage, "
                        + "or derate their floor life (J-STD-033 table 7-2) with the supplier",
                    source: bounds.first?.citation ?? "IPC/JEDEC J-STD-033"
                )
                .bounded(by: bounds)
                .translated(
                    .spanish, name: name.es,
                    correctiveAction:
                        "Los carretes aquí no están cubiertos por su vida en piso de la tabla 7-1: devuélvalos al "
                        + "almacén seco o reduzca su vida en piso (tabla 7-2 de J-STD-033) con el proveedor"
                )
                .translated(
                    .malay, name: name.ms,
                    correctiveAction:
                        "Gulungan di sini tidak dilindungi hayat lantai jadual 7-1: simpan semula dalam simpanan kering "
                        + "atau kurangkan hayat lantai (jadual 7-2 J-STD-033) bersama pembekal"))
        }
    }

    /// Every station the configuration names must exist.
    public func validate(site: SiteDefinition) throws(CoreError) {
        for item in site.items.values.sorted(by: { $0.id < $1.id }) {
            do {
                _ = try Reels.reel(
                    receiving: MaterialReceipt(
                        lot: "check", item: item, quantity: 1, supplier: "", supplierLot: "", at: .distantPast))
            } catch {
                throw .invalidConfiguration(path: "items.\(item.id).attributes.msl", message: "\(error)")
            }
        }
        let known = Set(site.workCentres.map(\.id))
        let named: [(String, [String])] = [
            ("esd_stations", configuration.esdStations ?? []),
            ("continuously_monitored", configuration.continuouslyMonitored ?? []),
            ("placers", configuration.placers ?? []), ("inspection_stations", configuration.inspectionStations ?? []),
            ("msd_areas", configuration.msdAreas ?? []),
        ]
        for (key, ids) in named {
            for id in ids where !known.contains(id) {
                throw .invalidConfiguration(
                    path: "modules.electronics_assembly.\(key)", message: "unknown work centre '\(id)'")
            }
        }
    }
}
