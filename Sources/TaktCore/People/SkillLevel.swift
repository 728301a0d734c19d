import Foundation

/// How well a person can do a skill, as a supervisor assessed it: the rungs of a skills matrix.
///
/// Only `competent` and `canTrain` count for planning and for the rules that ask for a skill; someone `inTraining`
/// or `supervised` works beside a competent person and is not counted in an operation's crew.
public enum SkillLevel: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    case inTraining = "in_training"
    case supervised
    case competent
    case canTrain = "can_train"

    /// Whether the level lets the person do the work on their own.
    public var isQualified: Bool { self >= .competent }

    /// 1–4, the matrix's usual notation.
    public var rank: Int {
        switch self {
        case .inTraining: 1
        case .supervised: 2
        case .competent: 3
        case .canTrain: 4
        }
    }

    public static func < (lhs: SkillLevel, rhs: SkillLevel) -> Bool { lhs.rank < rhs.rank }

    /// `in_training`, `supervised`, `competent`, `can_train` (also `1`–`4`).
    public init?(parsing text: String) {
        let value = text.lowercased().replacingOccurrences(of: "-", with: "_")
        if let level = SkillLevel(rawValue: value) {
            self = level
        } else if let rank = Int(value), let level = SkillLevel.allCases.first(where: { $0.rank == rank }) {
            self = level
        } else {
            return nil
        }
    }
}

/// A supervisor's judgement of one person at one skill, with the day and who made it: a row of the skills matrix.
public struct SkillAssessment: Hashable, Sendable, Codable {
    public var staff: String
    public var skill: String
    public var level: SkillLevel
    public var assessedOn: LocalDate
    /// The staff id of the assessor, who must be able to train the skill.
    public var by: String
    public var note: String?

    public init(
        staff: String, skill: String, level: SkillLevel, assessedOn: LocalDate, by: String, note: String? = nil
    ) {
        self.staff = staff
        self.skill = skill
        self.level = level
        self.assessedOn = assessedOn
        self.by = by
        self.note = note
    }
}

/// Time a person is away: they are not planned in it, and a plan that counted on them is repaired.
public struct Absence: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case holiday, sickness, training, other
    }
    public var id: Int64?
    public var staff: String
    public var kind: Kind
    public var from: Date
    public var to: Date
    public var note: String?
    /// Who reported it (the person themself, or their supervisor).
    public var reportedBy: String?

    public init(
        id: Int64? = nil, staff: String, kind: Kind, from: Date, to: Date, note: String? = nil,
        reportedBy: String? = nil
    ) {
        self.id = id
        self.staff = staff
        self.kind = kind
        self.from = from
        self.to = to
        self.note = note
        self.reportedBy = reportedBy
    }
}

/// How many people with a skill an operation needs while it runs: `{skill: packing, count: 3}`.
public struct CrewNeed: Hashable, Sendable, Codable {
    public var skill: String
    public var count: Int

    public init(skill: String, count: Int = 1) {
        self.skill = skill
        self.count = count
    }

    enum CodingKeys: String, CodingKey { case skill, count }

    /// `count` is 1 when absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        skill = try container.decode(String.self, forKey: .skill)
        count = try container.decodeIfPresent(Int.self, forKey: .count) ?? 1
    }
}
