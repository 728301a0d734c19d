import Foundation
import TaktCore
import TaktStore

/// A loaded site with its database: takes events, applies the site's rules, stores the outcome.
///
/// Every method checks its input against the site before it writes, and writes each event with its findings,
/// actions and outbox rows in one transaction.
public struct SiteHost: Sendable {
    public let definition: SiteDefinition
    public let store: SiteStore

    public init(definition: SiteDefinition, store: SiteStore) {
        self.definition = definition
        self.store = store
    }

    /// Loads the site at `path` and opens its database under `dataDirectory` (`<dir>/<site-id>.sqlite`).
    public static func open(
        path: String, dataDirectory: String = "data", registry: ModuleRegistry
    ) throws(HostError) -> SiteHost {
        let definition = try SiteLoader(registry: registry).load(path: path)
        let file = SiteStore.defaultPath(siteID: definition.site.id, dataDirectory: dataDirectory)
        do {
            return SiteHost(definition: definition, store: try SiteStore(path: file, siteID: definition.site.id))
        } catch {
            throw .store(error)
        }
    }

    /// Records a check reading: judges it with every hygiene and safety rule, and stores the reading, the
    /// findings and their actions (lots on hold, work centres blocked) together.
    public func record(_ reading: CheckReading) throws(HostError) -> SiteStore.RecordedReading {
        guard definition.rules.check(reading.check) != nil else {
            throw .unknown(kind: "check", id: reading.check.rawValue, known: definition.rules.checks.map(\.id.rawValue))
        }
        guard reading.value.isFinite else { throw .invalidInput("the reading's value must be a number") }
        if let person = reading.recordedBy, definition.staff[person] == nil {
            throw .unknown(kind: "staff member", id: person, known: Array(definition.staff.keys))
        }
        if let workCentre = reading.workCentre, definition.workCentre(workCentre) == nil {
            throw .unknown(kind: "work centre", id: workCentre, known: definition.workCentres.map(\.id))
        }
        do {
            var lot: Lot?
            if let lotID = reading.lot {
                lot = try store.lot(lotID)
                if lot == nil { throw HostError.unknown(kind: "lot", id: lotID, known: try store.lots().map(\.id)) }
            }
            let context = RuleContext(
                site: definition.site, timeZone: definition.timeZone, now: reading.at, staff: definition.staff,
                lot: lot, history: try store.readings(of: reading.check, lot: reading.lot))
            let findings = definition.rules.evaluate(.reading(reading), in: context)
            return try store.record(reading, findings: findings)
        } catch let error as HostError {
            throw error
        } catch let error as StoreError {
            throw .store(error)
        } catch {
            throw .invalidInput("\(error)")
        }
    }

    /// Adds a lot the site has produced.
    public func addLot(_ lot: Lot, at now: Date) throws(HostError) {
        guard definition.products[lot.product] != nil else {
            throw .unknown(kind: "product", id: lot.product, known: Array(definition.products.keys))
        }
        guard lot.quantity > 0, lot.quantity.isFinite else { throw .invalidInput("a lot's quantity must be positive") }
        if let expiry = lot.expiresAt, expiry < lot.producedAt {
            throw .invalidInput("lot \(lot.id) would expire before it was produced")
        }
        do { try store.addLot(lot, at: now) } catch { throw .store(error) }
    }

    /// Imports orders from CSV text (see `OrderCSV`); all rows or none.
    public func importOrders(csv text: String, file: String, at now: Date) throws(HostError) -> SiteStore.ImportSummary
    {
        let orders = try OrderCSV(definition: definition).parse(text, file: file)
        do { return try store.importOrders(orders, at: now) } catch { throw .store(error) }
    }
}

extension SiteHost {
    /// Open orders, by due date.
    public func openOrders() throws(HostError) -> [Order] {
        do { return try store.openOrders() } catch { throw .store(error) }
    }

    /// Findings, newest first.
    public func findings(openOnly: Bool) throws(HostError) -> [Finding] {
        do { return try store.findings(openOnly: openOnly) } catch { throw .store(error) }
    }

    /// Lots, newest first, optionally only those with `status`.
    public func lots(status: Lot.Status? = nil) throws(HostError) -> [Lot] {
        do { return try store.lots(status: status) } catch { throw .store(error) }
    }
}
