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
            items[spec.id] = Item(
                id: spec.id, name: spec.name ?? spec.id, unit: spec.unit, storage: spec.storage ?? .ambient,
                shelfLife: spec.shelfLife, attributes: (spec.attributes ?? [:]).mapValues(\.values))
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
    }
}
