import Foundation
import TaktCore
import TaktStore

/// Maintenance at a site: meters that follow production, when each routine plan falls due, and work orders from
/// opening to done, with the lock-out gate and the spare parts they use.
extension SiteHost {
    /// How far back production is averaged to forecast when a meter reaches its next service.
    static let meterForecastWindow: TimeInterval = 28 * 86_400

    /// Where every maintenance plan stands at `now`: last done, due date and trigger, meters, overdue.
    public func maintenanceDue(at now: Date) throws(HostError) -> [MaintenanceDue] {
        let plans = definition.maintenancePlans
        guard !plans.isEmpty else { return [] }
        let done = try stored { () throws(StoreError) in try store.lastDone(plans: plans) }
        let schedule = try stored { () throws(StoreError) in try store.currentSchedule() }?.rows ?? []
        return try plans.map { (plan: MaintenancePlan) throws(HostError) -> MaintenanceDue in
            // Last done: its latest preventive work order, else the site's `last_done` with the meters then.
            var last = done[plan.id]
            if last == nil, let at = plan.lastDone, at <= now {
                last = (at, try stored { () throws(StoreError) in try store.meters(asset: plan.asset, at: at) })
            }
            let meters = try stored { () throws(StoreError) in try store.meters(asset: plan.asset, at: now) }
            let earlier = try stored { () throws(StoreError) in
                try store.meters(asset: plan.asset, at: now.addingTimeInterval(-Self.meterForecastWindow))
            }
            // Production over the window, per second: manual readings do not move the forecast.
            var rates: [Meter: Double] = [:]
            for meter in Meter.allCases {
                rates[meter] = max(0, (meters[meter] ?? 0) - (earlier[meter] ?? 0)) / Self.meterForecastWindow
            }
            var reached: [Meter: Date] = [:]
            for (meter, interval) in plan.meters {
                let target = (last?.meters[meter] ?? 0) + interval
                guard (meters[meter] ?? 0) >= target else { continue }
                reached[meter] = try stored { () throws(StoreError) in
                    try store.reached(asset: plan.asset, meter: meter, target: target, at: now)
                }
            }
            return plan.due(
                done: last, meters: meters, rates: rates, reached: reached,
                planned: plannedUse(of: plan.asset, in: schedule, after: now), at: now)
        }
    }

    /// What the schedule's operations on `asset` still to run add to its meters: their running time, and the units
    /// their routing's rate makes in it.
    func plannedUse(of asset: String, in rows: [ScheduleRow], after now: Date) -> [Meter: [MaintenancePlan.PlannedUse]]
    {
        var uses: [Meter: [MaintenancePlan.PlannedUse]] = [:]
        for row in rows where row.kind == .operation && row.workCentre == asset && row.end > now {
            let start = max(row.start, now)
            let seconds = row.end.timeIntervalSince(start)
            uses[.runHours, default: []].append(.init(start: start, end: row.end, amount: seconds / 3600))
            let operation = definition.products[row.product]?.routing.first { $0.id == row.operation }
            if let operation, operation.secondsPerUnit > 0 {
                let setup = row.start >= now ? Double(operation.setup.seconds) : 0
                uses[.units, default: []].append(
                    .init(start: start, end: row.end, amount: max(0, seconds - setup) / operation.secondsPerUnit))
            }
        }
        return uses
    }

    /// What an asset's meters read at `now`.
    public func meters(asset: String, at now: Date) throws(HostError) -> [Meter: Double] {
        try requireWorkCentre(asset)
        return try stored { () throws(StoreError) in try store.meters(asset: asset, at: now) }
    }

    /// A manual meter reading; below what the meter reads now only when the meter was replaced.
    public func recordMeter(asset: String, meter: Meter, value: Double, replaced: Bool, by person: String?, at: Date)
        throws(HostError)
    {
        try requireWorkCentre(asset)
        guard value.isFinite, value >= 0, value < 1e12 else {
            throw .invalidInput("a meter reading is a number, 0 or more")
        }
        try requireNotAhead(at, "the reading's time")
        try requireStaff(person)
        try stored { () throws(StoreError) in
            try store.recordMeter(
                .init(asset: asset, meter: meter, value: value, replaced: replaced, by: person, at: at))
        }
    }

    /// Opens a work order: preventive for a plan (on the plan's asset), or corrective for a breakdown.
    @discardableResult
    public func openWorkOrder(
        asset named: String, kind: WorkOrder.Kind, plan planID: String? = nil, description: String,
        by person: String?, at now: Date
    ) throws(HostError) -> WorkOrder {
        // A part of a work centre is worked on at its work centre.
        let part = definition.equipment[named]
        let asset = part?.workCentre ?? named
        if part == nil { try requireWorkCentre(asset) }
        try requireNotAhead(now, "the time")
        try requireStaff(person)
        var parts: [PartUse] = []
        var text = description.trimmingCharacters(in: .whitespacesAndNewlines)
        switch kind {
        case .preventive:
            guard let planID, let plan = definition.maintenancePlans.first(where: { $0.id == planID }) else {
                throw .unknown(
                    kind: "maintenance plan", id: planID ?? "(none)", known: definition.maintenancePlans.map(\.id))
            }
            guard plan.asset == asset, part == nil || plan.equipment == part?.id else {
                throw .invalidInput("plan \(plan.id) is for \(plan.equipment ?? plan.asset), not \(named)")
            }
            parts = plan.parts
            if text.isEmpty { text = plan.task }
        case .corrective:
            guard planID == nil else { throw .invalidInput("a corrective work order carries out no plan") }
            guard !text.isEmpty else { throw .invalidInput("say what is wrong (the description)") }
        }
        guard text.count <= 2_000 else { throw .invalidInput("the description is longer than 2,000 characters") }
        // Numbered by the store, in the transaction that stores it.
        var order = WorkOrder(
            id: "", asset: asset, kind: kind, plan: kind == .preventive ? planID : nil, description: text,
            openedAt: now, openedBy: person, parts: parts)
        order.equipment =
            part?.id ?? (kind == .preventive ? definition.maintenancePlans.first { $0.id == planID }?.equipment : nil)
        let opened = order
        return try stored { () throws(StoreError) in try store.save(opened, isNew: true, at: now) }
    }

    /// Starts work. Where a module names a lock-out check (food_processing's LOTO), work starts only after a
    /// passing reading of it on the asset since the work order was opened.
    @discardableResult
    public func startWorkOrder(_ id: String, by person: String?, at now: Date) throws(HostError) -> WorkOrder {
        var order = try workOrder(id)
        guard order.status == .open || order.status == .waitingParts else {
            throw .invalidInput("work order \(id) is \(order.status.rawValue.replacingOccurrences(of: "_", with: " "))")
        }
        try requireNotAhead(now, "the time")
        try requireStaff(person)
        order.lockedOutAt = try lockOut(on: order.asset, since: order.openedAt, until: now, for: "work order \(id)")
        order.status = .inProgress
        order.startedAt = order.startedAt ?? now
        _ = try stored { () throws(StoreError) in try store.save(order, isNew: false, at: now) }
        return order
    }

    /// Work stops until spare parts come.
    @discardableResult
    public func waitForParts(_ id: String, at now: Date) throws(HostError) -> WorkOrder {
        var order = try workOrder(id)
        guard order.status == .inProgress || order.status == .open else {
            throw .invalidInput("work order \(id) is \(order.status.rawValue.replacingOccurrences(of: "_", with: " "))")
        }
        order.status = .waitingParts
        _ = try stored { () throws(StoreError) in try store.save(order, isNew: false, at: now) }
        return order
    }

    /// Finishes a work order: time spent, the spare parts used (taken from stock, first expiry first out, in the
    /// same transaction), and for a breakdown its cause and remedy. A preventive one resets its plan.
    @discardableResult
    public func completeWorkOrder(
        _ id: String, minutes: Double, parts: [PartUse]? = nil, cause: String? = nil, remedy: String? = nil,
        by person: String?, at now: Date
    ) throws(HostError) -> WorkOrder {
        var order = try workOrder(id)
        guard order.status == .inProgress else {
            throw .invalidInput(
                order.status == .done
                    ? "work order \(id) is done already"
                    : "work order \(id) has not started: start it first (the lock-out is checked then)")
        }
        guard minutes.isFinite, minutes > 0, minutes < 1e6 else {
            throw .invalidInput("the time spent must be a number of minutes above 0")
        }
        try requireNotAhead(now, "the time")
        try requireStaff(person)
        let cause = cause?.trimmingCharacters(in: .whitespacesAndNewlines)
        let remedy = remedy?.trimmingCharacters(in: .whitespacesAndNewlines)
        if order.kind == .corrective, (cause ?? "").isEmpty || (remedy ?? "").isEmpty {
            throw .invalidInput("a breakdown is closed with its cause and remedy")
        }
        let used = parts ?? order.parts
        var movements: [StockMovement] = []
        if !used.isEmpty {
            var stock = try usableStock(at: now)
            for part in used {
                guard definition.items[part.item] != nil else {
                    throw .unknown(kind: "item", id: part.item, known: Array(definition.items.keys))
                }
                guard part.quantity > 0, part.quantity.isFinite else {
                    throw .invalidInput("\(part.item): a part's quantity must be above 0")
                }
                let (taken, available) = takeFirstExpiry(part.quantity, of: [part.item], from: &stock)
                guard available >= part.quantity - 1e-9 else {
                    throw .invalidInput(
                        "\(CriticalLimits.format(part.quantity)) of \(part.item) are needed and "
                            + "\(CriticalLimits.format(available)) are in stock: receive them, or leave "
                            + "the work order waiting for parts; nothing was recorded")
                }
                movements += taken.map {
                    StockMovement(
                        lot: $0.lot, kind: .adjust, quantity: -$0.quantity, reason: "spare part used on \(order.id)",
                        by: person, at: now)
                }
            }
        }
        order.status = .done
        order.doneAt = now
        order.doneBy = person
        order.minutes = minutes
        order.parts = used
        order.cause = cause
        order.remedy = remedy
        let final = order
        _ = try stored { () throws(StoreError) in try store.save(final, isNew: false, parts: movements, at: now) }
        // A food-contact line is cleared for food again before it runs: blocked until the module's check passes.
        if let id = definition.rules.afterMaintenanceCheck, let check = definition.rules.check(id),
            check.workCentres.isEmpty || check.workCentres.contains(order.asset)
        {
            _ = try stored { () throws(StoreError) in
                try store.raise([
                    Finding(
                        rule: id, severity: check.severity, subject: .init(.workCentre, order.asset),
                        message: "\(order.id) on \(order.asset) is done: \(check.name) before it runs food again",
                        actions: [
                            FindingAction(.blockWorkCentre, order.asset),
                            FindingAction(.correctiveAction, check.correctiveAction),
                        ], raisedAt: now, key: "after-maintenance:\(order.id)")
                ])
            }
        }
        return order
    }

    public func workOrders(openOnly: Bool = false, asset: String? = nil) throws(HostError) -> [WorkOrder] {
        try stored { () throws(StoreError) in try store.workOrders(openOnly: openOnly, asset: asset) }
    }

    func workOrder(_ id: String) throws(HostError) -> WorkOrder {
        guard let order = try stored({ () throws(StoreError) in try store.workOrder(id) }) else {
            throw .unknown(kind: "work order", id: id, known: try workOrders(openOnly: true).map(\.id))
        }
        return order
    }

    /// Findings for preventive work whose window has passed, each plan's due date once.
    func maintenanceFindings(_ plans: [MaintenanceDue], at now: Date) -> [Finding] {
        plans.filter(\.overdue).compactMap { due in
            guard let dueAt = due.dueAt else { return nil }
            return Finding(
                rule: "site.maintenance.overdue", severity: .major, subject: .init(.workCentre, due.asset),
                message: "\(due.task) on \(due.asset) was due \(Instant.format(dueAt, in: definition.timeZone)) "
                    + "(\(due.trigger ?? "plan \(due.plan)")) and is not done",
                actions: [
                    FindingAction(
                        .correctiveAction,
                        "Open and do the work order: takt maintenance work-orders open --plan \(due.plan)")
                ],
                raisedAt: now, key: "maintenance-overdue:\(due.plan):\(Instant.iso(dueAt))")
        }
    }
}

extension SiteHost {
    /// Where the planned time of the production reports ending in `window` went (see `LossBreakdown`).
    public func losses(in window: DateInterval, workCentre: String? = nil) throws(HostError) -> LossBreakdown {
        let reports = try stored { () throws(StoreError) in try store.productionReports(in: window) }
        return LossBreakdown(
            reports.filter { workCentre == nil || $0.workCentre == workCentre }, reasons: definition.downtimeReasons)
    }

    /// Mean time between failures and to repair, per work centre, over `window`: breakdowns are corrective work
    /// orders opened in it; running time comes from its production reports.
    public func reliability(in window: DateInterval) throws(HostError) -> [Reliability] {
        let reports = try stored { () throws(StoreError) in try store.productionReports(in: window) }
        let breakdowns = try workOrders().filter { $0.kind == .corrective && window.contains($0.openedAt) }
        return definition.workCentres.map { centre in
            Reliability(
                asset: centre.id,
                runHours: reports.filter { $0.workCentre == centre.id }.map(\.runSeconds).reduce(0, +) / 3600,
                breakdowns: breakdowns.filter { $0.asset == centre.id })
        }
    }

    /// What the sweep sends central about losses: the last 30 days' breakdown and each asset's reliability.
    func lossStatus(at now: Date) throws(HostError) -> LossStatus {
        let window = DateInterval(start: now.addingTimeInterval(-30 * 86_400), end: now)
        return LossStatus(
            losses: try losses(in: window),
            reliability: try reliability(in: window).filter { $0.runHours > 0 || $0.breakdowns > 0 })
    }
}
