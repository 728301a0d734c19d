/// What a person does at the site, deciding what the site app and the site API let them do. Every action is
/// recorded with who did it, whatever the role.
public enum SiteRole: String, Hashable, Sendable, Codable, CaseIterable {
    /// Records checks and production at a station; signs in with a PIN at a shared tablet.
    case operator_ = "operator"
    /// Runs a shift: closes findings, sees people and the plan.
    case supervisor
    /// Quality: the only role that releases or rejects a lot.
    case quality
    /// Maintenance: closes the findings of breakdowns and blocks.
    case maintenance
    /// The site's production manager: everything, including re-planning.
    case siteManager = "site_manager"

    /// Something a role may or may not do.
    public enum Action: String, Hashable, Sendable, CaseIterable {
        case recordCheck = "record_check"
        case reportProduction = "report_production"
        case addLot = "add_lot"
        case decideLot = "decide_lot"
        case closeFinding = "close_finding"
        case plan
        case roster
        case viewSync = "view_sync"
        case receiveMaterials = "receive_materials"
        /// Hold every lot a supplier's lot went into.
        case recall
        /// Raise the purchase orders material planning suggests.
        case purchase
        /// Start and close work orders (anyone may report a breakdown).
        case maintain
        /// Record an instrument's calibration.
        case calibrate
        /// See costs and variance, set budgets, quote delivery dates.
        case costs
    }

    /// Whether this role may do `action`.
    public func may(_ action: Action) -> Bool {
        switch action {
        case .recordCheck, .reportProduction: return true
        case .addLot, .receiveMaterials: return self != .maintenance
        case .recall: return self == .quality || self == .siteManager
        case .decideLot: return self == .quality
        case .closeFinding: return self != .operator_
        case .plan: return self == .siteManager
        case .purchase: return self == .supervisor || self == .siteManager
        case .maintain: return self == .maintenance || self == .supervisor || self == .siteManager
        case .calibrate: return self != .operator_
        case .roster: return self == .supervisor || self == .siteManager
        case .costs: return self == .supervisor || self == .siteManager
        case .viewSync: return self == .supervisor || self == .siteManager || self == .quality
        }
    }

    /// Whether the role signs in with a short PIN at a shared device (short sessions) rather than a password.
    public var usesPIN: Bool { self == .operator_ }
}
