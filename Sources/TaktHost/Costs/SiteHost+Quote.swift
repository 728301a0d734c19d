import Foundation
import TaktCore
import TaktScheduling
import TaktStore
import TaktSync

extension SiteHost {
    /// The id the quoted order has in the problem: it never reaches the store.
    static let quotedOrder = "quote"

    /// Capable-to-promise: the earliest the site can finish `quantity` of `product` on the current plan without
    /// making any committed order later, with the reasons for the date and its standard cost; with `by`, whether
    /// that meets it, and if not which orders would slip, and by how much, to meet it. Nothing is stored.
    public func quote(
        product: String, quantity: Double, by: Date? = nil, horizon: TimeSpan = .days(60), at now: Date
    ) throws(HostError) -> Quote {
        let cost = try standardCost(product: product, quantity: quantity)
        guard definition.products[product]?.routing.isEmpty == false else {
            throw .invalidInput("product \(product) has no routing: it cannot be planned")
        }
        if let by, by <= now { throw .invalidInput("the date asked for (--by) must be in the future") }
        let current = try stored { () throws(StoreError) in try store.currentSchedule() }
        let committed = try openOrders()
        let end = now.addingTimeInterval(Double(horizon.seconds))
        // Last in line for materials: the new order takes only what committed orders leave.
        let asked = Order(
            id: Self.quotedOrder + "-" + UUID().uuidString.prefix(8).lowercased(), product: product,
            quantity: quantity, due: end)
        let materials = materialPlanner.plan(
            orders: committed + [asked], stock: try usableStock(at: now),
            purchaseOrders: try stored { () throws(StoreError) in try store.purchaseOrders(outstandingOnly: true) },
            at: now
        ).readiness
        let open = Set(committed.map(\.id))
        let started = (current?.rows ?? []).filter {
            $0.kind == .operation && $0.start < now && open.contains($0.order)
        }
        .map {
            PlantProblemBuilder.Started(
                order: $0.order, operation: $0.operation, workCentre: $0.workCentre, start: $0.start, end: $0.end)
        }
        var builder = PlantProblemBuilder(
            site: definition, orders: committed + [asked], from: now, horizon: horizon,
            outages: try blockedOutages(from: now, horizon: horizon), started: started,
            partStock: try partStock(from: now), materials: materials)
        builder.people = try crewPool(from: now, horizon: horizon)
        let problem: PlantProblem
        do { problem = try builder.build() } catch {
            if case .beyondHorizon(let order, let message) = error, order == asked.id {
                throw .invalidInput("\(product) × \(CriticalLimits.format(quantity)) cannot be planned: \(message)")
            }
            throw .invalidInput("the plan cannot be built: \(error.description)")
        }
        guard let newJob = problem.jobs.firstIndex(where: { $0.order.id == asked.id }) else {
            throw .invalidInput("\(product) × \(CriticalLimits.format(quantity)) cannot be planned")
        }
        // The plan of record's order of work; orders it does not hold yet go by due date after it.
        var firstStart: [String: Date] = [:]
        for row in current?.rows ?? [] where row.kind == .operation {
            firstStart[row.order] = min(firstStart[row.order] ?? row.start, row.start)
        }
        let sequence = problem.jobs.indices.filter { $0 != newJob }.sorted {
            (firstStart[problem.jobs[$0].order.id] ?? .distantFuture, problem.jobs[$0].due, $0)
                < (firstStart[problem.jobs[$1].order.id] ?? .distantFuture, problem.jobs[$1].due, $1)
        }
        let found: (answer: CapableToPromise.Answer, baseline: PlantSchedule, sequence: [Int])
        switch CapableToPromise.earliest(problem, newJob: newJob, sequence: sequence) {
        case .success(let result): found = result
        case .failure(.doesNotFit):
            throw .invalidInput(
                "\(product) × \(CriticalLimits.format(quantity)) does not fit in the next \(horizon) after the "
                    + "committed orders (try a longer --horizon or a smaller quantity)")
        case .failure(.planNoLongerFits):
            throw .invalidInput(
                "the plan of record no longer fits the plant (a work centre blocked since?): "
                    + "run takt schedule first")
        }
        let earliest = problem.instant(found.answer.end)
        var quote = Quote(
            site: definition.site.id, product: product, quantity: quantity, at: now, earliest: earliest,
            reasons: CapableToPromise.reasons(problem, found.answer.schedule, job: newJob), by: by,
            meets: by.map { earliest <= $0 }, byEnd: nil, slips: [], standardCost: CostParts.cents(cost.total),
            currency: definition.site.currency,
            basis: current.map { "plan of record of \(Instant.format($0.summary.createdAt, in: definition.timeZone))" }
                ?? "open orders by due date (no plan of record)")
        if let by, earliest > by,
            let meeting = CapableToPromise.meeting(
                Int(by.timeIntervalSince(problem.origin)), problem, newJob: newJob, sequence: found.sequence,
                baseline: found.baseline)
        {
            quote.byEnd = problem.instant(meeting.end)
            quote.slips = meeting.slips.map { slip in
                let job = problem.jobs[slip.job]
                return Quote.Slip(
                    order: job.order.id, due: job.order.due, end: problem.instant(found.baseline.jobEnd[slip.job]),
                    newEnd: problem.instant(slip.end), slipSeconds: slip.end - slip.promise)
            }.sorted { ($0.slipSeconds, $0.order) > ($1.slipSeconds, $1.order) }
        }
        return quote
    }
}

extension SiteHost {
    /// Answers central's region-wide quote requests: each becomes a `quote_answer` record in the outbox, the quote
    /// or the reason there is none (an unknown product, no room in the horizon). Nothing else is written.
    public func answer(_ requests: [QuoteRequest], at now: Date) {
        for request in requests.prefix(20) {
            var answer = QuoteAnswer(request: request.id, quote: nil, refusal: nil, at: now)
            do {
                answer.quote = try quote(
                    product: request.product, quantity: request.quantity,
                    by: request.by.flatMap { $0 > now ? $0 : nil }, at: now)
            } catch {
                answer.refusal = error.description
            }
            _ = try? store.publishState(kind: "quote_answer", key: request.id, payload: answer, at: now)
        }
    }
}
