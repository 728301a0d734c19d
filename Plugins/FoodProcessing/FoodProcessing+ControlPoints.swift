import TaktCore

extension FoodProcessing {
    static let chill: RuleID = "food_processing.ccp.chill"
    static let cook: RuleID = "food_processing.ccp.cook"
    static let hotHold: RuleID = "food_processing.ccp.hot_hold"
    static let reheat: RuleID = "food_processing.ccp.reheat"
    static let cooling: RuleID = "food_processing.ccp.cooling"
    static let receiving: RuleID = "food_processing.ccp.receiving"
    static let metalChecks: [(RuleID, String)] = [
        ("food_processing.ccp.metal.ferrous", "ferrous"), ("food_processing.ccp.metal.non_ferrous", "non-ferrous"),
        ("food_processing.ccp.metal.stainless", "stainless steel"),
    ]
    /// The metal detector test pieces' materials in Spanish and Malay, for the site app.
    static let materials: [String: (es: String, ms: String)] = [
        "ferrous": ("metal ferroso", "logam ferus"), "non-ferrous": ("metal no ferroso", "logam bukan ferus"),
        "stainless steel": ("acero inoxidable", "keluli tahan karat"),
    ]
    static let swab: RuleID = "food_processing.allergen.swab"
    static let loto: RuleID = "food_processing.safety.loto"
    static let afterMaintenance: RuleID = "food_processing.hygiene.after_maintenance"

    /// Registers every control point the site has not turned off, and notes those it has.
    func registerControlPoints(into book: inout RuleBook, law: Jurisdiction) throws(CoreError) {
        if let chill = configuration.chill.settings {
            try book.addHygiene(
                CheckDefinition(
                    id: Self.chill, name: "Chilled storage temperature", unit: "°C",
                    limits: .init(max: chill.maxCelsius ?? law.chillAdvised), every: chill.every ?? .hours(4),
                    workCentres: chill.workCentres ?? [], onBreach: [.holdLot],
                    correctiveAction: "Move the food to a working chiller; QA assesses how long it was above the limit "
                        + "and releases or rejects the lot", source: law.chillSource
                )
                .bounded(by: law.periods(Limit.chill))
                .translated(
                    .spanish, name: "Temperatura de almacenamiento refrigerado",
                    correctiveAction:
                        "Mueva el alimento a una cámara que funcione; Calidad evalúa cuánto tiempo estuvo por encima del límite y libera o rechaza el lote"
                )
                .translated(
                    .malay, name: "Suhu simpanan sejuk",
                    correctiveAction:
                        "Pindahkan makanan ke penyejuk yang berfungsi; QA menilai berapa lama ia melebihi had dan melepaskan atau menolak lot"
                ))
        } else {
            book.switchedOff(Self.chill, by: "modules.food_processing.chill: false")
        }
        if let cooking = configuration.cooking.settings {
            try book.addHygiene(
                CheckDefinition(
                    id: Self.cook, name: "Cooking core temperature (with time held)", unit: "°C", limits: .init(),
                    every: cooking.every, workCentres: cooking.workCentres ?? [],
                    correctiveAction: "Continue cooking until a safe time and temperature is reached",
                    source: law.cookingSource
                )
                .translated(
                    .spanish, name: "Temperatura interna de cocción (con tiempo de mantenimiento)",
                    correctiveAction: "Siga cocinando hasta alcanzar un tiempo y una temperatura seguros"
                )
                .translated(
                    .malay, name: "Suhu teras memasak (dengan masa ditahan)",
                    correctiveAction: "Teruskan memasak sehingga masa dan suhu yang selamat dicapai"))
            try book.addHygiene(
                CookingRule(
                    id: "food_processing.ccp.cook.time_temperature", check: Self.cook, source: law.cookingSource))
        } else {
            book.switchedOff(Self.cook, by: "modules.food_processing.cooking: false")
        }
        if let hot = configuration.hotHolding.settings {
            try book.addHygiene(
                CheckDefinition(
                    id: Self.hotHold, name: "Hot holding temperature", unit: "°C",
                    limits: .init(min: hot.minCelsius ?? law.hotHoldMin), every: hot.every ?? .hours(2),
                    workCentres: hot.workCentres ?? [], onBreach: [.holdLot],
                    correctiveAction:
                        "Reheat to \(CriticalLimits.format(law.reheatMin ?? 75)) °C once, or discard food held below "
                        + "\(CriticalLimits.format(hot.minCelsius ?? law.hotHoldMin)) °C for more than 2 hours",
                    source: law.hotHoldSource
                )
                .bounded(by: law.periods(Limit.hotHold))
                .translated(
                    .spanish, name: "Temperatura de mantenimiento en caliente",
                    correctiveAction:
                        "Recaliente una vez a \(CriticalLimits.format(law.reheatMin ?? 75)) °C, o deseche el alimento mantenido por debajo de \(CriticalLimits.format(hot.minCelsius ?? law.hotHoldMin)) °C durante más de 2 horas"
                )
                .translated(
                    .malay, name: "Suhu penyimpanan panas",
                    correctiveAction:
                        "Panaskan semula sekali hingga \(CriticalLimits.format(law.reheatMin ?? 75)) °C, atau buang makanan yang disimpan di bawah \(CriticalLimits.format(hot.minCelsius ?? law.hotHoldMin)) °C lebih daripada 2 jam"
                ))
        } else {
            book.switchedOff(Self.hotHold, by: "modules.food_processing.hot_holding: false")
        }
        if let cooling = configuration.cooling.settings {
            try book.addHygiene(
                CheckDefinition(
                    id: Self.cooling, name: "Cooling of cooked food (record 57 °C at the start)", unit: "°C",
                    limits: .init(), every: cooling.every, workCentres: cooling.workCentres ?? [],
                    correctiveAction: "Reheat to 74 °C and restart cooling, or discard", source: law.coolingSource
                )
                .translated(
                    .spanish, name: "Enfriamiento de alimentos cocinados (registre 57 °C al inicio)",
                    correctiveAction: "Recaliente a 74 °C y reinicie el enfriamiento, o deseche"
                )
                .translated(
                    .malay, name: "Penyejukan makanan yang dimasak (rekod 57 °C pada permulaan)",
                    correctiveAction: "Panaskan semula hingga 74 °C dan mulakan semula penyejukan, atau buang"))
            try book.addHygiene(
                CoolingRule(id: "food_processing.ccp.cooling.time", check: Self.cooling, source: law.coolingSource))
        } else {
            book.switchedOff(Self.cooling, by: "modules.food_processing.cooling: false")
        }
        if let reheat = law.reheatMin, let source = law.reheatSource, let hot = configuration.hotHolding.settings {
            try book.addHygiene(
                CheckDefinition(
                    id: Self.reheat, name: "Reheating core temperature (food to be served hot)", unit: "°C",
                    limits: .init(min: reheat), workCentres: hot.workCentres ?? [], onBreach: [.holdLot],
                    correctiveAction: "Continue reheating until the core reaches \(CriticalLimits.format(reheat)) °C",
                    source: source
                )
                .bounded(by: law.periods(Limit.reheat))
                .translated(
                    .spanish, name: "Temperatura interna de recalentamiento (alimentos que se sirven calientes)",
                    correctiveAction:
                        "Siga recalentando hasta que el centro alcance \(CriticalLimits.format(reheat)) °C"
                )
                .translated(
                    .malay, name: "Suhu teras pemanasan semula (makanan dihidang panas)",
                    correctiveAction:
                        "Teruskan memanaskan semula sehingga teras mencapai \(CriticalLimits.format(reheat)) °C"))
        }
        if let receiving = configuration.receiving.settings {
            try book.addHygiene(
                CheckDefinition(
                    id: Self.receiving, name: "Chilled delivery temperature on receipt", unit: "°C",
                    limits: .init(max: receiving.maxCelsius ?? law.receivingCeiling), every: receiving.every,
                    workCentres: receiving.workCentres ?? [], onBreach: [.holdLot],
                    correctiveAction: "Reject the delivery, or hold it for QA to judge with the supplier; record "
                        + "the vehicle's temperature and tell the supplier", source: law.receivingSource
                )
                .bounded(by: law.periods(Limit.receiving))
                .translated(
                    .spanish, name: "Temperatura de la entrega refrigerada a la recepción",
                    correctiveAction:
                        "Rechace la entrega, o reténgala para que Calidad la evalúe con el proveedor; registre la temperatura del vehículo e informe al proveedor"
                )
                .translated(
                    .malay, name: "Suhu penghantaran sejuk semasa penerimaan",
                    correctiveAction:
                        "Tolak penghantaran, atau tahan untuk QA menilai bersama pembekal; rekod suhu kenderaan dan maklumkan pembekal"
                ))
            book.setReceivingCheck(Self.receiving)
        } else {
            book.switchedOff(Self.receiving, by: "modules.food_processing.receiving: false")
        }
        guard let metal = configuration.metalDetection.settings else {
            for (id, _) in Self.metalChecks {
                book.switchedOff(id, by: "modules.food_processing.metal_detection: false")
            }
            return
        }
        let sizes = [metal.ferrousMm ?? 2.0, metal.nonFerrousMm ?? 2.5, metal.stainlessMm ?? 3.0]
        for ((id, material), size) in zip(Self.metalChecks, sizes) {
            try book.addHygiene(
                CheckDefinition(
                    id: id, name: "Metal detector test: \(CriticalLimits.format(size)) mm \(material) piece detected",
                    unit: "pass/fail", limits: .init(min: 1), every: metal.every ?? .hours(1),
                    workCentres: metal.detectors ?? [], onBreach: [.holdLot, .blockWorkCentre],
                    correctiveAction: "Stop the line; hold and re-inspect everything since the last good test; "
                        + "repair the detector and retest before restarting",
                    source:
                        "HACCP plan: metal detection at the start of each run and every \(metal.every ?? .hours(1))",
                    releasesOnPass: true
                )
                .translated(
                    .spanish,
                    name:
                        "Prueba del detector de metales: pieza de \(CriticalLimits.format(size)) mm de \(Self.materials[material]?.es ?? material) detectada",
                    correctiveAction:
                        "Detenga la línea; retenga y vuelva a inspeccionar todo desde la última prueba correcta; repare el detector y pruebe de nuevo antes de reanudar"
                )
                .translated(
                    .malay,
                    name:
                        "Ujian pengesan logam: kepingan \(Self.materials[material]?.ms ?? material) \(CriticalLimits.format(size)) mm dikesan",
                    correctiveAction:
                        "Hentikan talian; tahan dan periksa semula semua sejak ujian baik terakhir; baiki pengesan dan uji semula sebelum memulakan semula"
                ))
        }
    }

    func registerAllergens(into book: inout RuleBook) throws(CoreError) {
        let allergens = configuration.allergens
        let lines = allergens?.lines ?? [:]
        try book.addChangeover(
            AllergenChangeover(
                id: "food_processing.allergen.changeover", cleanByLine: lines, clean: allergens?.clean ?? .minutes(60)))
        try book.addHygiene(
            CheckDefinition(
                id: Self.swab, name: "Allergen swab after a full allergen clean", unit: "pass/fail",
                limits: .init(min: 1),
                workCentres: lines.keys.sorted(), onBreach: [.blockWorkCentre],
                correctiveAction: "Clean again and swab again; the line stays blocked until a swab passes",
                source: Law.allergenSource, releasesOnPass: true
            )
            .translated(
                .spanish, name: "Hisopo de alérgenos tras una limpieza completa de alérgenos",
                correctiveAction:
                    "Limpie de nuevo y vuelva a tomar el hisopo; la línea sigue bloqueada hasta que un hisopo pase"
            )
            .translated(
                .malay, name: "Ujian calitan alergen selepas pembersihan alergen penuh",
                correctiveAction: "Bersihkan semula dan calit semula; talian kekal disekat sehingga calitan lulus"))
    }

    func registerPeople(into book: inout RuleBook, law: Jurisdiction) throws(CoreError) {
        let people = configuration.people
        let openFood = people?.openFoodWorkCentres ?? []
        if !openFood.isEmpty {
            try book.addEligibility(
                EligibilityRule(
                    id: "food_processing.people.open_food", workCentres: openFood, certificate: hygieneCertificate))
            // Tools, swarf, grease and loose parts are physical and chemical hazards: a food-contact line is
            // cleaned and inspected after maintenance before it runs food again (Regulation (EC) No 852/2004,
            // Annex II, ch. V, point 1: equipment kept clean and in good order).
            try book.addSafety(
                CheckDefinition(
                    id: Self.afterMaintenance, name: "Hygiene clearance after maintenance", unit: "pass/fail",
                    limits: .init(min: 1), workCentres: openFood, severity: .major, onBreach: [.blockWorkCentre],
                    correctiveAction:
                        "Remove tools and parts, clean and sanitise, inspect; the line stays blocked until it passes",
                    source: "Regulation (EC) No 852/2004, Annex II, ch. V, point 1", releasesOnPass: true
                )
                .translated(
                    .spanish, name: "Liberación higiénica tras el mantenimiento",
                    correctiveAction:
                        "Retire herramientas y piezas, limpie y desinfecte, inspeccione; la línea sigue bloqueada hasta que pase"
                )
                .translated(
                    .malay, name: "Pelepasan kebersihan selepas penyelenggaraan",
                    correctiveAction:
                        "Alihkan alatan dan alat ganti, bersih dan nyahkuman, periksa; talian kekal disekat sehingga lulus"
                ))
            book.setAfterMaintenanceCheck(Self.afterMaintenance)
        }
        let controlPoints =
            ([Self.chill, Self.cook, Self.hotHold, Self.cooling, Self.receiving] + Self.metalChecks.map(\.0)).filter {
                book.check($0) != nil
            } + [Self.swab]
        try book.addSafety(
            QualificationRule(
                id: "food_processing.people.ccp_recorder", checks: controlPoints, certificate: hygieneCertificate))
        try book.addSafety(
            CheckDefinition(
                id: Self.loto, name: "Lock-out/tag-out applied and verified before cleaning", unit: "pass/fail",
                limits: .init(min: 1), onBreach: [.blockWorkCentre],
                correctiveAction: "Do not clean: isolate every energy source, lock and tag it, and verify",
                source: law.lotoSource, releasesOnPass: true
            )
            .translated(
                .spanish, name: "Bloqueo y etiquetado aplicado y verificado antes de limpiar",
                correctiveAction: "No limpie: aísle cada fuente de energía, bloquéela, etiquétela y verifique"
            )
            .translated(
                .malay, name: "Kunci keluar/tag keluar dipasang dan disahkan sebelum membersih",
                correctiveAction: "Jangan bersihkan: asingkan setiap sumber tenaga, kunci dan tag, dan sahkan"))
        book.setLockOutCheck(Self.loto)
        try book.addSafety(
            QualificationRule(
                id: "food_processing.people.loto_trained", checks: [Self.loto],
                skill: people?.lotoSkill ?? "loto_trained",
                severity: .critical))
    }
}
