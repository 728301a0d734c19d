import Foundation
import TaktCore

/// How the CLI prints costs: amounts to the cent with the currency, variance parts signed (+ is adverse).
enum Money {
    static func text(_ amount: Double, _ currency: String) -> String {
        String(format: "%.2f %@", CostParts.cents(amount), currency)
    }

    static func signed(_ amount: Double) -> String {
        let cents = CostParts.cents(amount)
        return String(format: cents > 0 ? "+%.2f" : "%.2f", cents == 0 ? 0 : cents)
    }

    static func parts(_ parts: CostParts, _ currency: String) -> String {
        var fields = [
            "material \(text(parts.material, currency))", "labour \(text(parts.labour, currency))",
            "machine \(text(parts.machine, currency))", "overhead \(text(parts.overhead, currency))",
        ]
        if parts.other != 0 { fields.append("other \(text(parts.other, currency))") }
        return fields.joined(separator: ", ")
    }

    static func standard(_ cost: StandardCost) -> String {
        var lines = [
            "\(cost.product) × \(CriticalLimits.format(cost.quantity)): \(text(cost.total, cost.currency)) "
                + "(\(text(cost.perUnit, cost.currency)) each)",
            "  " + parts(cost.parts, cost.currency),
        ]
        for operation in cost.operations {
            lines.append(
                "  \(operation.operation) at \(operation.workCentre): "
                    + String(format: "%.2f h", operation.setupHours + operation.runHours)
                    + " × \(operation.people) \(operation.people == 1 ? "person" : "people"), "
                    + "machine \(text(operation.machine, cost.currency)), labour \(text(operation.labour, cost.currency))"
            )
        }
        for material in cost.materials {
            lines.append(
                "  \(material.component): \(CriticalLimits.format((material.quantity * 1000).rounded() / 1000)) × "
                    + "\(text(material.unitPrice, cost.currency)) = \(text(material.cost, cost.currency))")
        }
        for gap in cost.gaps { lines.append("  note: \(gap)") }
        return lines.joined(separator: "\n")
    }

    static func order(_ cost: OrderCost) -> String {
        var lines = [
            "order \(cost.order) (\(cost.product)): \(CriticalLimits.format(cost.good)) good, "
                + "\(CriticalLimits.format(cost.scrap)) scrap; "
                + String(format: "%.2f h at work centres, %.2f h at standard", cost.hours, cost.standardHours),
            "  standard for the good units: \(text(cost.standard.total, cost.currency))",
            "  actual: \(text(cost.actual.total, cost.currency)) (\(parts(cost.actual, cost.currency)))",
            "  variance: \(signed(cost.variance.total)) \(cost.currency) (+ is over standard)",
        ]
        for (name, value) in cost.variance.named where value != 0 {
            lines.append("    \(name): \(signed(value))")
        }
        for note in cost.notes { lines.append("  note: \(note)") }
        return lines.joined(separator: "\n")
    }

    static func variance(_ report: VarianceReport, byProduct: Bool) -> String {
        guard !report.orders.isEmpty else {
            return (["no orders were produced in the period"] + report.skipped.map { "not costed: \($0)" })
                .joined(separator: "\n")
        }
        var lines: [String] = []
        let header =
            "standard, actual, variance (+ is over standard); material price, usage, efficiency, scrap, "
            + "changeover, other"
        lines.append(header)
        func row(_ name: String, _ standard: Double, _ actual: Double, _ variance: OrderCost.Variance) -> String {
            "\(name): \(text(standard, report.currency)), \(text(actual, report.currency)), "
                + "\(signed(variance.total)); " + variance.named.map { signed($0.1) }.joined(separator: ", ")
        }
        if byProduct {
            for item in report.byProduct { lines.append(row(item.product, item.standard, item.actual, item.variance)) }
        } else {
            for order in report.orders {
                lines.append(row(order.order, order.standard.total, order.actual.total, order.variance))
            }
        }
        lines.append(row("total", report.standard.total, report.actual.total, report.variance))
        for skipped in report.skipped { lines.append("not costed: \(skipped)") }
        return lines.joined(separator: "\n")
    }

    static func budget(_ status: BudgetStatus, in zone: TimeZone) -> String {
        var lines = ["\(status.month), actual to \(Instant.format(status.through, in: zone)), forecast to month end:"]
        if status.lines.isEmpty { lines.append("  nothing spent or planned, and no budget set") }
        for line in status.lines {
            var text =
                "  \(line.category): actual \(Self.text(line.actual, status.currency)), forecast "
                + Self.text(line.forecast, status.currency)
            if let budget = line.budget {
                text += ", budget \(Self.text(budget, status.currency))"
                if let over = line.overBudget, over > 0.005 { text += " — over by \(Self.text(over, status.currency))" }
            } else {
                text += ", no budget"
            }
            lines.append(text)
        }
        lines.append(
            "  total: actual \(text(status.actual, status.currency)), forecast \(text(status.forecast, status.currency))"
                + ", budget \(text(status.budget, status.currency))")
        return lines.joined(separator: "\n")
    }

    static func quote(_ quote: Quote, in zone: TimeZone) -> String {
        var lines = [
            "\(quote.product) × \(CriticalLimits.format(quote.quantity)) at \(quote.site): earliest "
                + "\(Instant.format(quote.earliest, in: zone)) without making any committed order later",
            "  standard cost \(text(quote.standardCost, quote.currency)); on the \(quote.basis)",
        ]
        if let by = quote.by, let meets = quote.meets {
            lines.append(meets ? "  meets \(Instant.format(by, in: zone))" : "  misses \(Instant.format(by, in: zone))")
            if !meets, let end = quote.byEnd {
                if end <= by {
                    lines.append(
                        "  to finish by then (\(Instant.format(end, in: zone))), \(quote.slips.count) order(s) would slip:"
                    )
                } else {
                    lines.append(
                        "  even first in line it would finish \(Instant.format(end, in: zone))"
                            + (quote.slips.isEmpty ? "" : ", and \(quote.slips.count) order(s) would slip:"))
                }
                for slip in quote.slips {
                    lines.append(
                        "    \(slip.order) (due \(Instant.format(slip.due, in: zone))): "
                            + "\(TimeSpan(seconds: slip.slipSeconds)) later, to \(Instant.format(slip.newEnd, in: zone))"
                    )
                }
            }
        }
        if !quote.reasons.isEmpty { lines.append("  why then:") }
        for reason in quote.reasons.prefix(5) { lines.append("    \(reason)") }
        return lines.joined(separator: "\n")
    }
}
