import Foundation
import TaktCore

/// What `takt site show` prints, as text or JSON.
struct SiteSummary: Encodable {
    struct RuleRow: Encodable {
        var slot: String
        var id: String
        var summary: String
    }
    struct WorkCentreRow: Encodable {
        var id: String
        var name: String
        var capacity: Int
        var calendar: String?
        var nextAvailable: [String]
    }

    var site: Site
    var rules: [RuleRow]
    /// Rules the site turned off, with the setting that did it.
    var switchedOff: [String: String]
    var workCentres: [WorkCentreRow]
    var calendars: [ShiftCalendar]
    var products: [Product]
    var staff: [Staff]
    /// Material lead times (transit and customs) that planning uses.
    var leadTimes: [String: String]
    /// Machine and labour rates per work centre and the overhead share.
    var costs: CostRates
    var weights: ScheduleWeights
    /// The records the site's modules keep: kind, class and schema version.
    var records: [RecordRow]
    /// The legal limits the modules enforce where the site is, with their jurisdiction, dates and citation.
    var legalLimits: [LegalLimit]

    struct RecordRow: Encodable {
        var kind: String
        var recordClass: String
        var version: Int
        var indexes: [String]
    }

    init(_ definition: SiteDefinition, now: Date = Date()) {
        site = definition.site
        rules = definition.rules.catalogue.map { RuleRow(slot: $0.slot, id: $0.id.rawValue, summary: $0.summary) }
        switchedOff = Dictionary(uniqueKeysWithValues: definition.rules.off.map { ($0.key.rawValue, $0.value) })
        let week = DateInterval(start: now, duration: 7 * 86_400)
        workCentres = definition.workCentres.map { centre in
            let periods =
                centre.calendar.flatMap { definition.calendars[$0] }?
                .availability(in: week, timeZone: definition.timeZone) ?? [week]
            return WorkCentreRow(
                id: centre.id, name: centre.name, capacity: centre.capacity, calendar: centre.calendar,
                nextAvailable: periods.prefix(3).map {
                    Instant.format($0.start, in: definition.timeZone) + " – "
                        + Instant.format($0.end, in: definition.timeZone)
                })
        }
        calendars = definition.calendars.values.sorted { $0.id < $1.id }
        products = definition.products.values.sorted { $0.id < $1.id }
        staff = definition.staff.values.sorted { $0.id < $1.id }
        leadTimes = definition.rules.scheduling.materialLeadTimes.mapValues(\.description)
        costs = definition.costs
        weights = definition.weights
        legalLimits = definition.rules.legalLimits
        records = definition.recordKinds.map {
            RecordRow(
                kind: $0.id.rawValue, recordClass: $0.recordClass.rawValue, version: $0.version, indexes: $0.indexes)
        }
    }

    var text: String {
        let zone = TimeZone(identifier: site.timeZone) ?? TimeZone(identifier: "UTC")!
        var lines = [
            "\(site.name) (\(site.id)), region \(site.region), \(site.timeZone), \(site.currency)",
            "modules: " + (site.modules.isEmpty ? "none" : site.modules.map(\.rawValue).joined(separator: ", ")),
            "",
        ]
        for slot in ["scheduling", "hygiene", "safety"] {
            let inSlot = rules.filter { $0.slot == slot }
            lines.append("\(slot) rules (\(inSlot.count)):")
            lines += inSlot.map { "  \($0.id): \($0.summary)" }
        }
        if !records.isEmpty {
            lines.append("records the modules keep (\(records.count)):")
            lines += records.map { row in
                "  \(row.kind): \(row.recordClass), version \(row.version)"
                    + (row.indexes.isEmpty ? "" : ", indexed by " + row.indexes.joined(separator: ", "))
            }
        }
        if !legalLimits.isEmpty {
            lines.append("legal limits (\(legalLimits.count)):")
            lines += legalLimits.map {
                "  \($0.id): \($0.subject) \($0.bound) (\($0.jurisdiction), \($0.period)): \($0.citation)"
            }
        }
        if !switchedOff.isEmpty {
            lines.append("turned off by the site (\(switchedOff.count)):")
            lines += switchedOff.sorted { $0.key < $1.key }.map { "  \($0.key): not checked (\($0.value))" }
        }
        lines.append("")
        lines.append("work centres (\(workCentres.count)):")
        for centre in workCentres {
            lines.append(
                "  \(centre.id): \(centre.name), capacity \(centre.capacity), calendar \(centre.calendar ?? "always open")"
            )
            lines += centre.nextAvailable.map { "    next: \($0)" }
        }
        lines.append("calendars (\(calendars.count)):")
        for calendar in calendars {
            let shifts = calendar.shifts.map {
                "\($0.name ?? "shift") \($0.days.map(\.rawValue).joined(separator: ",")) \($0.start)–\($0.end)"
            }
            lines.append("  \(calendar.id): " + shifts.joined(separator: "; "))
            if !calendar.holidays.isEmpty {
                lines.append("    holidays: " + calendar.holidays.map(\.description).joined(separator: ", "))
            }
            for extra in calendar.overtime {
                lines.append(
                    "    overtime \(Instant.format(extra.from, in: zone)) – \(Instant.format(extra.to, in: zone)): \(extra.reason)"
                )
            }
            for exception in calendar.exceptions {
                lines.append(
                    "    closed \(Instant.format(exception.from, in: zone)) – \(Instant.format(exception.to, in: zone)): \(exception.reason)"
                )
            }
        }
        lines.append("products (\(products.count)), staff (\(staff.count))")
        for (material, lead) in leadTimes.sorted(by: { $0.key < $1.key }) {
            lines.append("material \(material): lead time \(lead) (transit and customs)")
        }
        if !costs.isEmpty {
            let overhead = CriticalLimits.format(costs.overhead * 100)
            lines.append("cost rates (\(site.currency) per hour), overhead \(overhead) % of direct cost:")
            for (centre, rate) in costs.workCentres.sorted(by: { $0.key < $1.key }) {
                var line =
                    "  \(centre): machine \(CriticalLimits.format(rate.machine)), labour "
                    + "\(CriticalLimits.format(rate.labour)) per person"
                for (shift, labour) in rate.shiftLabour.sorted(by: { $0.key < $1.key }) {
                    line += ", \(shift) \(CriticalLimits.format(labour))"
                }
                if let overtime = rate.overtime { line += ", overtime \(CriticalLimits.format(overtime))" }
                lines.append(line)
            }
        }
        lines.append(
            "scheduling weights per minute: tardiness \(weights.tardiness), changeover \(weights.changeover), "
                + "makespan \(weights.makespan)")
        return lines.joined(separator: "\n")
    }
}
