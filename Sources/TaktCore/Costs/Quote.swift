import Foundation

/// A capable-to-promise answer: when the site could deliver a quantity of a product without making any committed
/// order late, why then, what it would cost, and for a date asked for, what meeting it would do to other orders.
public struct Quote: Hashable, Sendable, Codable {
    /// A committed order that would finish later if the date asked for were met.
    public struct Slip: Hashable, Sendable, Codable {
        public var order: String
        public var due: Date
        /// When it would finish now, and when it would finish instead.
        public var end: Date
        public var newEnd: Date
        /// How much later than its due date (or its current end, if already late) it would finish, in seconds.
        public var slipSeconds: Int

        public init(order: String, due: Date, end: Date, newEnd: Date, slipSeconds: Int) {
            self.order = order
            self.due = due
            self.end = end
            self.newEnd = newEnd
            self.slipSeconds = slipSeconds
        }
    }

    public var site: String
    public var product: String
    public var quantity: Double
    /// When the question was asked: the plan starts here.
    public var at: Date
    /// The earliest completion that keeps every committed order as it is.
    public var earliest: Date
    /// Where the time goes up to `earliest`: the bottleneck, a material's lead time, closed days, most first.
    public var reasons: [String]
    /// The date asked for, if any, and whether `earliest` meets it.
    public var by: Date?
    public var meets: Bool?
    /// When the date asked for is earlier than `earliest`: the earliest end by moving other orders (`byEnd`,
    /// which may still miss the date), and the orders that would slip.
    public var byEnd: Date?
    public var slips: [Slip]
    /// The standard cost of the quantity, in `currency`.
    public var standardCost: Double
    public var currency: String
    /// What the answer rests on: `plan of record of …` or `open orders (no plan of record)`.
    public var basis: String

    public init(
        site: String, product: String, quantity: Double, at: Date, earliest: Date, reasons: [String], by: Date?,
        meets: Bool?, byEnd: Date?, slips: [Slip], standardCost: Double, currency: String, basis: String
    ) {
        self.site = site
        self.product = product
        self.quantity = quantity
        self.at = at
        self.earliest = earliest
        self.reasons = reasons
        self.by = by
        self.meets = meets
        self.byEnd = byEnd
        self.slips = slips
        self.standardCost = standardCost
        self.currency = currency
        self.basis = basis
    }
}

/// A site's answer to a region-wide quote request (`quote_answer`, keyed by the request's id): its quote, or why
/// it cannot make it.
public struct QuoteAnswer: Hashable, Sendable, Codable {
    public var request: String
    public var quote: Quote?
    public var refusal: String?
    public var at: Date

    public init(request: String, quote: Quote?, refusal: String?, at: Date) {
        self.request = request
        self.quote = quote
        self.refusal = refusal
        self.at = at
    }
}
