import TaktCore

extension SiteBuilder {
    /// Loads `items:`, `suppliers:` and `materials:`: ids unique and distinct from products, units given, every
    /// item a supplier is approved for known.
    mutating func loadMaterials() {
        var items: [String: Item] = [:]
        for (index, spec) in (configuration.items ?? []).enumerated() {
            let path: [Any] = ["items", index]
            guard Self.isSiteID(spec.id) else {
                report("'\(spec.id)' is not an item id: lowercase letters, digits, '-' or '_'", at: path + ["id"])
                continue
            }
            if items[spec.id] != nil { report("item '\(spec.id)' is listed twice", at: path + ["id"]) }
            if definition.products[spec.id] != nil {
                report("'\(spec.id)' is a product too: give the item another id", at: path + ["id"])
            }
            if spec.unit.trimmingCharacters(in: .whitespaces).isEmpty {
                report("give the unit its quantities are in (kg, l, pcs)", at: path + ["unit"])
            }
            if let life = spec.shelfLife, life.seconds <= 0 {
                report("must be longer than zero", at: path + ["shelf_life"])
            }
            if let lead = spec.leadTime, lead.seconds <= 0 {
                report("must be longer than zero", at: path + ["lead_time"])
            }
            for (key, value) in [("reorder_point", spec.reorderPoint), ("reorder_quantity", spec.reorderQuantity)] {
                if let value, !(value.isFinite && value >= 0) {
                    report("must be a number of \(spec.unit), 0 or more", at: path + [key])
                }
            }
            if let price = spec.price, !(price.isFinite && price >= 0) {
                report("a price is a number of the site's currency, 0 or more", at: path + ["price"])
            }
            if spec.reorderQuantity != nil, spec.reorderPoint == nil {
                report("a reorder quantity needs a reorder_point to order at", at: path + ["reorder_quantity"])
            }
            items[spec.id] = Item(
                id: spec.id, name: spec.name ?? spec.id, unit: spec.unit, storage: spec.storage ?? .ambient,
                shelfLife: spec.shelfLife, attributes: (spec.attributes ?? [:]).mapValues(\.values),
                leadTime: spec.leadTime, reorderPoint: spec.reorderPoint, reorderQuantity: spec.reorderQuantity,
                price: spec.price)
        }
        var suppliers: [String: Supplier] = [:]
        for (index, spec) in (configuration.suppliers ?? []).enumerated() {
            let path: [Any] = ["suppliers", index]
            guard Self.isSiteID(spec.id) else {
                report("'\(spec.id)' is not a supplier id: lowercase letters, digits, '-' or '_'", at: path + ["id"])
                continue
            }
            if suppliers[spec.id] != nil { report("supplier '\(spec.id)' is listed twice", at: path + ["id"]) }
            for item in (spec.items ?? [:]).keys.sorted() where items[item] == nil {
                report(unknown("item", item, known: Array(items.keys)), at: path + ["items", item])
            }
            suppliers[spec.id] = Supplier(id: spec.id, name: spec.name ?? spec.id, items: spec.items ?? [:])
        }
        definition.items = items
        definition.suppliers = suppliers
        definition.unapprovedSupplier = configuration.materials?.unapprovedSupplier ?? .refuse
        checkBillsOfMaterials()
    }

    /// Every component of a bill of materials is an item or a product, no product is (through intermediates) its
    /// own ingredient, and each product gets what its ingredients bring for the attributes modules inherit.
    mutating func checkBillsOfMaterials() {
        let specs = configuration.products ?? []
        let known = Set(definition.items.keys).union(definition.products.keys)
        for (index, spec) in specs.enumerated() {
            for (line, bom) in (spec.bom ?? []).enumerated() {
                if !known.contains(bom.item) {
                    report(
                        unknown("item or product", bom.item, known: Array(known)),
                        at: ["products", index, "bom", line, "item"])
                }
                for (position, alternate) in (bom.alternates ?? []).enumerated() {
                    if !known.contains(alternate) {
                        report(
                            unknown("item or product", alternate, known: Array(known)),
                            at: ["products", index, "bom", line, "alternates", position])
                    } else if alternate == bom.item || alternate == spec.id {
                        report(
                            "'\(alternate)' cannot stand in for \(alternate == spec.id ? "the product itself" : "itself")",
                            at: ["products", index, "bom", line, "alternates", position])
                    }
                }
            }
        }
        // A cycle: a product reached again while walking down from it.
        var cyclic: Set<String> = []
        func walk(_ id: String, _ path: [String]) {
            if let start = path.firstIndex(of: id) {
                cyclic.formUnion(path[start...])
                return
            }
            for line in definition.products[id]?.bom ?? [] {
                for choice in line.choices where definition.products[choice] != nil { walk(choice, path + [id]) }
            }
        }
        for id in definition.products.keys.sorted() { walk(id, []) }
        for (index, spec) in specs.enumerated() where cyclic.contains(spec.id) {
            report(
                "\(spec.id) is, through its bill of materials, one of its own ingredients",
                at: ["products", index, "bom"])
        }
        guard cyclic.isEmpty else { return }
        let inherited = Set(reviewed.flatMap { type(of: $0).inheritedAttributes })
        var memo: [String: [String: Set<String>]] = [:]
        func brought(_ id: String) -> [String: Set<String>] {
            if let known = memo[id] { return known }
            var result: [String: Set<String>] = [:]
            // An alternate may be what went in: what it brings counts too (a label must declare either).
            for line in definition.products[id]?.bom ?? [] {
                for attribute in inherited {
                    for choice in line.choices {
                        let values =
                            definition.items[choice].map { Set($0.attributes[attribute] ?? []) }
                            ?? definition.products[choice].map {
                                Set($0.attributes[attribute] ?? []).union(brought($0.id)[attribute] ?? [])
                            } ?? []
                        result[attribute, default: []].formUnion(values)
                    }
                }
            }
            memo[id] = result
            return result
        }
        for id in definition.products.keys {
            let derived = brought(id).filter { !$0.value.isEmpty }.mapValues { $0.sorted() }
            definition.products[id]?.derived = derived
        }
    }
}
