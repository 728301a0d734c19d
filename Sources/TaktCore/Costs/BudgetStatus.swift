import Foundation

/// One month's costs against its budget: spent so far and the forecast to the month's end, by category.
public struct BudgetStatus: Hashable, Sendable, Codable {
    public struct Line: Hashable, Sendable, Codable {
        public var category: String
        /// Nil when no budget was set for the category.
        public var budget: Double?
        public var actual: Double
        /// Actual plus what the plan of record still has to spend in the month.
        public var forecast: Double

        public init(category: String, budget: Double?, actual: Double, forecast: Double) {
            self.category = category
            self.budget = budget
            self.actual = actual
            self.forecast = forecast
        }

        /// Forecast less budget: positive is over budget; nil without a budget.
        public var overBudget: Double? { budget.map { forecast - $0 } }
    }

    public var month: CostMonth
    public var currency: String
    /// Actual costs are counted up to this instant; the plan from it to the month's end.
    public var through: Date
    public var lines: [Line]

    public init(month: CostMonth, currency: String, through: Date, lines: [Line]) {
        self.month = month
        self.currency = currency
        self.through = through
        self.lines = lines
    }

    public var budget: Double { lines.compactMap(\.budget).reduce(0, +) }
    public var actual: Double { lines.map(\.actual).reduce(0, +) }
    public var forecast: Double { lines.map(\.forecast).reduce(0, +) }
}

/// The variance of the orders produced in a period, order by order and in total.
public struct VarianceReport: Hashable, Sendable, Codable {
    public var from: Date
    public var to: Date
    public var currency: String
    public var orders: [OrderCost]
    /// Orders with production in the period that could not be costed (an id the site does not know), each with why.
    public var skipped: [String] = []

    public init(from: Date, to: Date, currency: String, orders: [OrderCost]) {
        self.from = from
        self.to = to
        self.currency = currency
        self.orders = orders
    }

    public var standard: CostParts { orders.map(\.standard).reduce(CostParts(), +) }
    public var actual: CostParts { orders.map(\.actual).reduce(CostParts(), +) }
    public var variance: OrderCost.Variance { orders.map(\.variance).reduce(OrderCost.Variance(), +) }

    /// The variance per product, products sorted.
    public var byProduct: [(product: String, variance: OrderCost.Variance, standard: Double, actual: Double)] {
        Dictionary(grouping: orders, by: \.product).sorted { $0.key < $1.key }.map { product, orders in
            (
                product, orders.map(\.variance).reduce(OrderCost.Variance(), +),
                orders.map(\.standard.total).reduce(0, +), orders.map(\.actual.total).reduce(0, +)
            )
        }
    }
}

/// What a site's sweep tells central about a month's costs (`cost_status`, one record per month): actual and
/// forecast against budget by category, and the variance of the orders produced, all in the site's currency.
public struct CostStatus: Hashable, Sendable, Codable {
    public var month: CostMonth
    public var currency: String
    public var budget: BudgetStatus
    /// Orders with production in the month, and their standard, actual and variance.
    public var orders: Int
    public var standard: Double
    public var actual: Double
    public var variance: OrderCost.Variance
    /// Actual cost of each day so far (all categories), so central converts each at its own day's rate.
    public var days: [DayCost]
    public var at: Date

    /// One day's actual cost in the site's currency.
    public struct DayCost: Hashable, Sendable, Codable {
        public var day: LocalDate
        public var amount: Double

        public init(day: LocalDate, amount: Double) {
            self.day = day
            self.amount = amount
        }
    }

    public init(
        month: CostMonth, currency: String, budget: BudgetStatus, orders: Int, standard: Double, actual: Double,
        variance: OrderCost.Variance, days: [DayCost], at: Date
    ) {
        self.days = days
        self.month = month
        self.currency = currency
        self.budget = budget
        self.orders = orders
        self.standard = standard
        self.actual = actual
        self.variance = variance
        self.at = at
    }
}
