/// What can go wrong when scheduling, naming the order, operation or line at fault.
public enum SchedulingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A benchmark instance file is malformed.
    case malformedInstance(file: String, line: Int, message: String)
    /// An operation has no work centre that can run it.
    case noEligibleWorkCentre(order: String, operation: String)
    /// A routing's precedence has a cycle.
    case cyclicRouting(product: String, operation: String)
    /// An order cannot be fitted within the planning horizon.
    case beyondHorizon(order: String, message: String)
    /// An order is not to be made within the horizon yet (its earliest start lies beyond it).
    case notYet(order: String, message: String)
    /// Something in the plant's data is not usable for scheduling.
    case invalidPlant(String)
    /// A schedule breaks a hard rule (found by the independent validator).
    case invalidSchedule([String])

    /// Why an order cannot be planned, without naming the order (it is listed beside it).
    public var reason: String {
        switch self {
        case .noEligibleWorkCentre(_, let operation):
            return "operation \(operation): nobody at the site is cleared to run it on any of its work centres "
                + "(a skill or a valid certificate is missing; see takt staff clearance)"
        case .beyondHorizon(_, let message), .notYet(_, let message): return message
        default: return description
        }
    }

    public var description: String {
        switch self {
        case .malformedInstance(let file, let line, let message): return "\(file):\(line): \(message)"
        case .noEligibleWorkCentre(let order, let operation):
            return "order \(order), operation \(operation): no eligible work centre can run it"
        case .cyclicRouting(let product, let operation):
            return "product \(product): the routing has a cycle through operation \(operation)"
        case .beyondHorizon(let order, let message), .notYet(let order, let message):
            return "order \(order): \(message)"
        case .invalidPlant(let message): return message
        case .invalidSchedule(let problems):
            return "invalid schedule:\n" + problems.map { "  \($0)" }.joined(separator: "\n")
        }
    }
}
