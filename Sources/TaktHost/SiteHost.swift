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
    /// The site's clock: what "now" is when judging whether a recorded time lies in the future.
    public let clock: @Sendable () -> Date

    public init(definition: SiteDefinition, store: SiteStore, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.definition = definition
        self.store = store
        self.clock = clock
    }

    /// Loads the site at `path` and opens its database under `dataDirectory` (`<dir>/<site-id>.sqlite`).
    public static func open(
        path: String, dataDirectory: String = "data", registry: ModuleRegistry,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(HostError) -> SiteHost {
        let definition = try SiteLoader(registry: registry).load(path: path)
        let file = SiteStore.defaultPath(siteID: definition.site.id, dataDirectory: dataDirectory)
        do {
            return SiteHost(
                definition: definition,
                store: try SiteStore(path: file, siteID: definition.site.id, recordKinds: definition.recordKinds),
                clock: clock)
        } catch {
            throw .store(error)
        }
    }

    /// A rule context at `now` with the site's people; callers add what their event needs.
    func context(at now: Date) throws(HostError) -> RuleContext {
        var context = RuleContext(
            site: definition.site, timeZone: definition.timeZone, now: now, staff: try people(at: now))
        context.products = definition.products
        return context
    }

    /// Runs a store call, reporting its failure as a host error.
    func stored<T>(_ body: () throws(StoreError) -> T) throws(HostError) -> T {
        do { return try body() } catch { throw .store(error) }
    }

    func requireStaff(_ id: String?) throws(HostError) {
        guard let id, definition.staff[id] == nil else { return }
        throw .unknown(kind: "staff member", id: id, known: Array(definition.staff.keys))
    }

    func requireWorkCentre(_ id: String?) throws(HostError) {
        guard let id, definition.workCentre(id) == nil else { return }
        throw .unknown(kind: "work centre", id: id, known: definition.workCentres.map(\.id))
    }

    // MARK: checks

    /// Records a check reading: judges it with every hygiene and safety rule, and stores the reading, the
    /// findings and their actions (lots on hold, blocks), and the blocks a passing retest lifts, together.
    ///
    /// A reading without a work centre for a check kept at exactly one is recorded there; for a check kept at
    /// several it is refused (it could not count towards any of them being done).
    ///
    /// A reading `fromDevice` (a data logger posting every minute) that breaches while the previous reading at
    /// the same work centre breached too belongs to the same excursion: it is stored, but raises no second
    /// finding. The excursion's one finding stays open until a person closes it.
    public func record(_ reading: CheckReading, fromDevice: Bool = false) throws(HostError) -> SiteStore.RecordedReading
    {
        guard let check = definition.rules.check(reading.check) else {
            throw .unknown(kind: "check", id: reading.check.rawValue, known: definition.rules.checks.map(\.id.rawValue))
        }
        var reading = reading
        guard reading.value.isFinite else { throw .invalidInput("the reading's value must be a number") }
        if check.isPassFail, reading.value != 0, reading.value != 1 {
            throw .invalidInput(
                "\(check.id) is a pass/fail check: record pass or fail (1 or 0), not \(CriticalLimits.format(reading.value))"
            )
        }
        try requireNotAhead(reading.at, "the reading's time")
        try requireStaff(reading.recordedBy)
        try requireWorkCentre(reading.workCentre)
        let calibration = try calibration(for: reading)
        if reading.workCentre == nil, check.workCentres.count == 1 { reading.workCentre = check.workCentres[0] }
        if reading.workCentre == nil, check.workCentres.count > 1 {
            throw .invalidInput(
                "\(check.id) is kept at \(check.workCentres.joined(separator: ", ")): say where this reading was taken (--work-centre)"
            )
        }
        if let workCentre = reading.workCentre, !check.workCentres.isEmpty, !check.workCentres.contains(workCentre) {
            throw .invalidInput(
                "\(check.id) is recorded at \(check.workCentres.joined(separator: ", ")), not at \(workCentre)")
        }
        if let lotID = reading.lot, try stored({ () throws(StoreError) in try store.lot(lotID) }) == nil {
            throw .unknown(
                kind: "lot", id: lotID, known: try stored { () throws(StoreError) in try store.lots().map(\.id) })
        }
        // Judged inside the write transaction, against the lot and history as they stand there.
        var judging = try context(at: reading.at)
        judging.calibration = calibration
        let base = judging
        let rules = definition.rules
        let recorded = reading
        // Control charts judge the reading against the readings before it (read here, outside the write: a
        // trend is not changed by a reading recorded at the same moment).
        let trends = try spcFindings(for: reading)
        return try stored { () throws(StoreError) in
            try store.record(reading, releases: check.releases(for: reading)) { lot, history in
                var context = base
                context.lot = lot
                context.history = history
                let findings = rules.evaluate(.reading(recorded), in: context) + trends
                guard fromDevice,
                    let previous = history.last(where: { $0.workCentre == recorded.workCentre && $0.at <= recorded.at }
                    ),
                    check.limits.breach(of: previous.value, unit: check.unit) != nil
                else { return findings }
                return findings.filter { $0.rule != check.id }
            }
        }
    }

    /// Raises the findings the clock has made due: overdue checks, expired lots, and what modules' rules find in
    /// their records (reels past their floor life).
    /// Each is raised once however often this runs. Returns the new findings.
    public func sweep(at now: Date) throws(HostError) -> [Finding] {
        try requireNotAhead(now, "the sweep's time")
        let snapshot = try stored { () throws(StoreError) in
            SiteSnapshot(
                releasedLots: try store.lots(status: .released), lastReadings: try store.lastReadings(),
                since: try store.createdAt(),
                recentReadings: try store.readings(
                    since: now.addingTimeInterval(-Double(SiteSnapshot.recentHours) * 3600)),
                calibrations: definition.instruments.isEmpty ? [:] : try store.latestCalibrations(before: now))
        }
        var context = try context(at: now)
        context.snapshot = snapshot
        context.records = try loadRecords(definition.rules.reads, at: now)
        let maintenance = try maintenanceDue(at: now)
        // The people as of now (the context's) and their single points of failure serve both the findings and
        // the status central compares.
        let singlePoints =
            definition.staff.isEmpty ? [] : try singlePoints(at: now, people: context.staff)
        let findings =
            definition.rules.evaluate(.tick(now), in: context) + maintenanceFindings(maintenance, at: now)
            + (try capaFindings(at: now)) + (try riskFindings(at: now)) + (try permitFindings(at: now))
            + (try peopleFindings(at: now, people: context.staff, singlePoints: singlePoints))
        var raised = try stored { () throws(StoreError) in try store.raise(findings) }
        // Central shows which checks are due; send the list when it changes.
        let due = definition.rules.checksDue(lastReadings: snapshot.lastReadings, since: snapshot.since, now: now)
        _ = try stored { () throws(StoreError) in
            try store.publishState(kind: "checks_due", key: "current", payload: due, at: now)
        }
        // Central shows each site's shortages and what it should buy, as its material plan says now.
        if !definition.items.isEmpty {
            let status = MaterialStatus(plan: try materialPlan(at: now), items: definition.items)
            _ = try stored { () throws(StoreError) in
                try store.publishState(kind: "material_status", key: "site", payload: status, at: now)
            }
        }
        // Central shows overdue maintenance and open breakdowns per site.
        let open = try workOrders(openOnly: true)
        if !definition.maintenancePlans.isEmpty || !open.isEmpty {
            let status = MaintenanceStatus(due: maintenance, open: open)
            _ = try stored { () throws(StoreError) in
                try store.publishState(kind: "maintenance_status", key: "site", payload: status, at: now)
            }
        }
        // Central compares losses and reliability across sites: the last 30 days, sent when they changed.
        let losses = try lossStatus(at: now)
        _ = try stored { () throws(StoreError) in
            try store.publishState(kind: "losses", key: "last_30_days", payload: losses, at: now)
        }
        // Central compares quality and safety: open reports and late actions, incidents, the injury rate.
        let quality = try qualityStatus(at: now)
        _ = try stored { () throws(StoreError) in
            try store.publishState(kind: "quality_status", key: "site", payload: quality, at: now)
        }
        // Central compares training compliance and single points of failure.
        if !definition.staff.isEmpty {
            let people = try peopleStatus(at: now, people: context.staff, singlePoints: singlePoints)
            let day = DayTraining(
                day: LocalDate(now, in: definition.timeZone), needed: people.certificatesNeeded,
                valid: people.certificatesValid)
            _ = try stored { () throws(StoreError) in
                try store.publishState(kind: "people_status", key: "site", payload: people, at: now)
                // The day's training compliance, for central's roll-ups (kept per day, like adherence).
                if day.needed > 0 {
                    try store.publishState(kind: "training", key: day.day.description, payload: day, at: now)
                }
            }
        }
        // Central names things as the site does.
        _ = try stored { () throws(StoreError) in
            try store.publishState(kind: "names", key: "current", payload: SiteNames(definition), at: now)
        }
        // Yesterday's adherence becomes final as its last orders pass due; today's follows the plan of record.
        let today = LocalDate(now, in: definition.timeZone)
        try publishAdherence(of: [today.adding(days: -1), today], at: now)
        // Who must be told: new findings and escalations go into the alert queue (delivered by `deliverAlerts`).
        try queueAlerts(at: now)
        // Last, so a report folder that cannot be written never holds up the rest: central compares costs against
        // budget, and last month's report is written and announced once (its finding alerts at the next sweep).
        try publishCostStatus(at: now)
        raised += try announceMonthlyReport(at: now)
        return raised
    }

    /// Schedule adherence of `day` at `now` (`DayAdherence`: on time ÷ due that day, by the plan of record).
    public func adherence(of day: LocalDate, at now: Date) throws(HostError) -> DayAdherence {
        let zone = definition.timeZone
        return try stored { () throws(StoreError) in
            let orders = try store.orderOutcomes(dueIn: DayAdherence.window(of: day, in: zone))
            let open = orders.filter { $0.completedAt == nil && !$0.cancelled }.map(\.order)
            return DayAdherence.judge(
                day: day, orders: orders, plannedFinish: try store.plannedFinish(of: open), now: now, zone: zone)
        }
    }

    /// Sends each day's adherence to central when it changed (state `adherence`, keyed by the day); days with
    /// no orders due are not sent. The sweep sends yesterday's and today's, finishing an order its day's.
    public func publishAdherence(of days: [LocalDate], at now: Date) throws(HostError) {
        for day in days {
            let adherence = try adherence(of: day, at: now)
            guard adherence.due > 0 else { continue }
            _ = try stored { () throws(StoreError) in
                try store.publishState(kind: "adherence", key: day.description, payload: adherence, at: now)
            }
        }
    }

    /// Every check with a frequency and when it is due.
    public func checksDue(at now: Date) throws(HostError) -> [RuleBook.CheckDue] {
        let (last, since) = try stored { () throws(StoreError) in (try store.lastReadings(), try store.createdAt()) }
        return definition.rules.checksDue(lastReadings: last, since: since, now: now)
    }

    /// Closes a finding's corrective action, naming who did it and what was done.
    public func closeFinding(_ id: Int64, by person: String, resolution: String, at now: Date) throws(HostError)
        -> Finding
    {
        try requireStaff(person)
        guard !resolution.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidInput("say what was done to close the finding (--resolution)")
        }
        try requireNotAhead(now, "the closing time")
        // Whoever may not record a control point may not close its finding either: the same qualification.
        if let finding = try stored({ () throws(StoreError) in try store.finding(id) }),
            let staff = definition.staff[person]
        {
            let today = LocalDate(now, in: definition.timeZone)
            let lacking = definition.rules.safety.compactMap { $0 as? QualificationRule }
                .filter { $0.covers(findingOf: finding.rule) }
                .flatMap { rule in rule.missing(staff, on: today).map { "\($0) (\(rule.id))" } }
            guard lacking.isEmpty else {
                throw .refused(
                    [
                        "\(staff.name) (\(person)) may not close finding #\(id) on \(finding.rule): they lack "
                            + lacking.joined(separator: " and ")
                    ])
            }
        }
        return try stored { () throws(StoreError) in
            try store.closeFinding(id, by: person, resolution: resolution, at: now)
        }
    }

    // MARK: lots

    /// Adds a lot the site has produced.
    public func addLot(_ lot: Lot, at now: Date) throws(HostError) {
        guard definition.products[lot.product] != nil else {
            throw .unknown(kind: "product", id: lot.product, known: Array(definition.products.keys))
        }
        guard lot.quantity > 0, lot.quantity.isFinite else { throw .invalidInput("a lot's quantity must be positive") }
        if let expiry = lot.expiresAt, expiry < lot.producedAt {
            throw .invalidInput("lot \(lot.id) would expire before it was produced")
        }
        try requireNotAhead(lot.producedAt, "the lot's production time")
        try stored { () throws(StoreError) in try store.addLot(lot, at: now) }
    }

    /// Releases a lot on hold (refused while a finding that held it is open) or rejects it.
    public func decide(lot id: String, status: Lot.Status, by person: String, at now: Date) throws(HostError) -> Lot {
        try requireStaff(person)
        return try stored { () throws(StoreError) in try store.decide(lot: id, status: status, by: person, at: now) }
    }

    /// Records a lot leaving stock; rules judge it (first-expiry-first-out, expired or held stock).
    public func issue(_ issue: LotIssue) throws(HostError) -> [Finding] {
        try requireNotAhead(issue.at, "the issue's time")
        try requireStaff(issue.by)
        guard let lot = try stored({ () throws(StoreError) in try store.lot(issue.lot) }) else {
            throw .unknown(
                kind: "lot", id: issue.lot, known: try stored { () throws(StoreError) in try store.lots().map(\.id) })
        }
        guard lot.status == .released else {
            throw .invalidInput("lot \(lot.id) is \(lot.status.rawValue) and cannot be issued")
        }
        var context = try context(at: issue.at)
        context.lot = lot
        context.stock = try stored { () throws(StoreError) in try store.lots(status: .released, product: lot.product) }
        let findings = definition.rules.evaluate(.issue(issue), in: context)
        return try stored { () throws(StoreError) in try store.record(issue, findings: findings) }
    }

    // MARK: orders and lists

    /// Imports orders from CSV text (see `OrderCSV`); all rows or none.
    public func importOrders(
        csv text: String, file: String, options: OrderCSV.Options = OrderCSV.Options(), at now: Date
    ) throws(HostError) -> SiteStore.ImportSummary {
        let (orders, notes) = try OrderCSV(definition: definition).parse(text, file: file, options: options)
        var summary = try stored { () throws(StoreError) in try store.importOrders(orders, at: now) }
        summary.notes = notes
        return summary
    }

    /// Imports orders from a file's bytes as a spreadsheet saved them (see `SpreadsheetText.decode`).
    public func importOrders(
        csv data: Data, file: String, options: OrderCSV.Options = OrderCSV.Options(), at now: Date
    ) throws(HostError) -> SiteStore.ImportSummary {
        let (text, note) = try SpreadsheetText.decode(data, file: file)
        var summary = try importOrders(csv: text, file: file, options: options, at: now)
        if let note { summary.notes.insert(note, at: 0) }
        return summary
    }

    /// Open orders, by due date.
    public func openOrders() throws(HostError) -> [Order] {
        try stored { () throws(StoreError) in try store.openOrders() }
    }

    /// Findings, newest first.
    public func findings(openOnly: Bool) throws(HostError) -> [Finding] {
        try stored { () throws(StoreError) in try store.findings(openOnly: openOnly) }
    }

    /// Lots, newest first, optionally only those with `status`.
    public func lots(status: Lot.Status? = nil) throws(HostError) -> [Lot] {
        try stored { () throws(StoreError) in try store.lots(status: status) }
    }
}

extension SiteHost {
    /// Active blocks: work centres, operators at stations, reels.
    public func activeBlocks() throws(HostError) -> [Block] {
        try stored { () throws(StoreError) in try store.activeBlocks() }
    }
}

extension SiteHost {
    /// Roster entries overlapping `window`.
    public func roster(in window: DateInterval) throws(HostError) -> [ShiftAssignment] {
        try stored { () throws(StoreError) in try store.roster(in: window) }
    }
}

extension SiteHost {
    /// Why `person` may not work at `workCentre` at `now`: missing skills or certificates, a missing or failed
    /// personal test (ESD), or an active block on them or the work centre. Empty when they are cleared.
    public func clearance(of person: String, at workCentre: String, now: Date) throws(HostError) -> [String] {
        try requireStaff(person)
        try requireWorkCentre(workCentre)
        let staff = definition.staff[person]!
        let today = LocalDate(now, in: definition.timeZone)
        var reasons: [String] = []
        for rule in definition.rules.scheduling.eligibility where rule.workCentres.contains(workCentre) {
            if !rule.admits(staff, on: today) { reasons.append("\(rule.id): \(rule.summary)") }
        }
        for rule in definition.rules.scheduling.clearances where rule.workCentres.contains(workCentre) {
            var latest: [RuleID: CheckReading] = [:]
            for check in rule.checks {
                latest[check] = try stored { () throws(StoreError) in
                    try store.latestReading(of: check, by: person, at: workCentre, before: now)
                }
            }
            reasons += rule.reasons(
                workCentre: workCentre, now: now, latest: latest, book: definition.rules, timeZone: definition.timeZone
            )
            .map { "\(rule.id): \($0)" }
        }
        for block in try activeBlocks() {
            if block.kind == .blockOperator, block.target == "\(person)@\(workCentre)" {
                reasons.append("blocked at \(workCentre) by finding #\(block.finding)")
            }
            if block.kind == .blockWorkCentre, block.target == workCentre {
                reasons.append("\(workCentre) is blocked by finding #\(block.finding)")
            }
        }
        return reasons
    }
}

extension SiteHost {
    /// Reports an order's production complete: it leaves planning.
    public func completeOrder(_ id: String, at now: Date) throws(HostError) {
        let order = try stored { () throws(StoreError) in try store.completeOrder(id, at: now) }
        // The finished order's day, at once rather than at the next sweep.
        try publishAdherence(of: [DayAdherence.day(of: order.due, in: definition.timeZone)], at: now)
    }
}
