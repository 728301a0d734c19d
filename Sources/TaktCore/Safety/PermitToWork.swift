import Foundation

/// A permit to work: written authority for dangerous non-routine work on one asset for a set time, issued by one
/// person and accepted by the one who does the work, with its precautions and the points isolated (locked and
/// tagged). HSE's HSG250 "Guidance on permit-to-work systems"; for confined spaces the Confined Spaces
/// Regulations 1997 (GB), DOSH's Industry Code of Practice for Safe Working in a Confined Space 2010 (Malaysia),
/// NOM-033-STPS-2015 (Mexico); for electrical isolation the Electricity at Work Regulations 1989 reg. 12–13.
///
/// Its life: issued → accepted (work may start) ⇄ suspended → closed (work done, isolations removed, area safe).
/// While it is not closed the asset is closed time for the scheduler over the permit's window.
public struct PermitToWork: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case hotWork = "hot_work"
        case confinedSpace = "confined_space"
        case workAtHeight = "work_at_height"
        case electricalIsolation = "electrical_isolation"

        /// Whether the work needs energy sources isolated (locked and tagged) before it starts.
        public var requiresIsolation: Bool { self == .confinedSpace || self == .electricalIsolation }
    }

    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        case issued, accepted, suspended, closed
    }

    /// `PTW-n`.
    public var id: String
    public var kind: Kind
    /// The work centre (asset) worked on.
    public var asset: String
    public var description: String
    /// The work order it covers, if any.
    public var workOrder: String?
    /// When the work may take place.
    public var from: Date
    public var to: Date
    public var precautions: [String]
    /// The points isolated, locked and tagged (a breaker, a valve).
    public var isolations: [String]
    public var status: Status
    public var issuedBy: String
    public var issuedAt: Date
    public var acceptedBy: String?
    public var acceptedAt: Date?
    /// When the lock-out that let it be accepted was recorded, where the site's modules require one.
    public var lockedOutAt: Date?
    public var suspendedReason: String?
    public var closedBy: String?
    public var closedAt: Date?
    public var closingNote: String?

    public init(
        id: String = "", kind: Kind, asset: String, description: String, workOrder: String? = nil, from: Date,
        to: Date, precautions: [String], isolations: [String] = [], issuedBy: String, issuedAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.asset = asset
        self.description = description
        self.workOrder = workOrder
        self.from = from
        self.to = to
        self.precautions = precautions
        self.isolations = isolations
        self.status = .issued
        self.issuedBy = issuedBy
        self.issuedAt = issuedAt
    }

    /// The longest a permit may run: one shift-length day; longer work is re-issued, so the precautions are checked
    /// again (HSG250 advises permits valid no longer than a shift).
    public static let longest: TimeInterval = 24 * 3600

    /// What is wrong with a permit as issued; empty when it can be stored.
    public var problems: [String] {
        var problems: [String] = []
        if description.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("say what work it permits") }
        if to <= from { problems.append("the permit must end after it starts") }
        if to.timeIntervalSince(from) > Self.longest { problems.append("a permit runs at most 24 hours; re-issue it") }
        if precautions.isEmpty { problems.append("list the precautions taken (--precaution)") }
        if kind.requiresIsolation, isolations.isEmpty {
            problems.append(
                "\(kind.rawValue.replacingOccurrences(of: "_", with: " ")) needs the isolation points (--isolation)")
        }
        return problems
    }

    /// Whether it is not yet closed: the asset is closed time over its window.
    public var isOpen: Bool { status != .closed }

    /// The finding an open permit raises once its window has passed.
    public func overrunFinding(at now: Date) -> Finding? {
        guard isOpen, now > to else { return nil }
        return Finding(
            rule: .permitOverrun, severity: status == .accepted ? .major : .minor, subject: .init(.workCentre, asset),
            message: "Permit \(id) (\(kind.rawValue.replacingOccurrences(of: "_", with: " ")) on \(asset)) ran past "
                + "its end at \(Instant.iso(to)) and is still \(status.rawValue)",
            actions: [
                .init(.correctiveAction, "Close it once the work is done and the area is safe, or issue a new permit.")
            ], raisedAt: now, key: "\(id):overrun")
    }
}

extension RuleID {
    /// A permit to work still open after its window.
    public static let permitOverrun: RuleID = "site.permit_to_work"
}
