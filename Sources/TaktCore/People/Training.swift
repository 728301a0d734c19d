import Foundation

/// A course the site runs or buys: what certificate it gives and for how long, and the skill level it brings.
///
/// `{id: food-hygiene-2, name: Food hygiene level 2, certificate: food_hygiene_level_2, valid_months: 36}`,
/// `{id: ipc-a-610, certificate: ipc_a_610, valid_months: 24, skill: solder_inspection, level: competent}`.
public struct TrainingCourse: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    /// The certificate a pass gives; nil for a course that only teaches a skill.
    public var certificate: String?
    /// How long the certificate is valid from the session; nil: it does not expire.
    public var validMonths: Int?
    /// The skill the course teaches, and the level a pass reaches in it.
    public var skill: String?
    public var level: SkillLevel?
    /// Who may give it: someone who can train `skill`, or who holds a valid `certificate` themselves. External
    /// trainers are named as such.
    public init(
        id: String, name: String, certificate: String? = nil, validMonths: Int? = nil, skill: String? = nil,
        level: SkillLevel? = nil
    ) {
        self.id = id
        self.name = name
        self.certificate = certificate
        self.validMonths = validMonths
        self.skill = skill
        self.level = level
    }

    /// The last day a certificate from a session on `day` is valid: the day before the same date `validMonths`
    /// later (food hygiene level 2 taken on 2026-03-10 for 36 months is valid through 2029-03-09), as
    /// `Staff.Certificate.isValid(on:forMonths:)` counts it.
    public func expiry(from day: LocalDate) -> LocalDate? {
        validMonths.map(day.lastDay(ofMonths:))
    }
}

/// A session of a course: when, who trains, who attends, and — once held — who passed.
public struct TrainingSession: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable {
        case planned, held, cancelled
    }
    /// One attendee and, once the session is held, the outcome.
    public struct Attendee: Hashable, Sendable, Codable {
        public var staff: String
        /// Nil until the session is recorded; then whether they attended and passed.
        public var attended: Bool?
        public var passed: Bool?

        public init(staff: String, attended: Bool? = nil, passed: Bool? = nil) {
            self.staff = staff
            self.attended = attended
            self.passed = passed
        }
    }

    public var id: Int64?
    public var course: String
    public var at: Date
    /// A staff id, or `external:` and a name for a trainer from outside.
    public var trainer: String
    public var attendees: [Attendee]
    public var status: Status

    public init(
        id: Int64? = nil, course: String, at: Date, trainer: String, attendees: [Attendee], status: Status = .planned
    ) {
        self.id = id
        self.course = course
        self.at = at
        self.trainer = trainer
        self.attendees = attendees
        self.status = status
    }

    /// Whether the trainer comes from outside the site (`external:Acme Safety Ltd`).
    public var trainerIsExternal: Bool { trainer.hasPrefix("external:") }
}

/// The site's people settings: `people: {training_lead: 30d, courses: [...], patterns: [...]}`.
public struct PeoplePolicy: Hashable, Sendable, Codable {
    /// How far ahead a certificate that expires before planned work raises its finding.
    public var trainingLead: TimeSpan
    /// How many days of roster the single-point-of-failure check looks at.
    public var matrixDays: Int
    public var courses: [TrainingCourse]
    /// Site patterns, beside the built-in ones.
    public var patterns: [ShiftPattern]

    public init(
        trainingLead: TimeSpan = .days(30), matrixDays: Int = 7, courses: [TrainingCourse] = [],
        patterns: [ShiftPattern] = []
    ) {
        self.trainingLead = trainingLead
        self.matrixDays = matrixDays
        self.courses = courses
        self.patterns = patterns
    }

    /// A pattern by id: the site's, then the built-in ones.
    public func pattern(_ id: String) -> ShiftPattern? {
        patterns.first { $0.id == id } ?? ShiftPattern.builtIn[id]
    }

    /// The courses that give `certificate`.
    public func courses(giving certificate: String) -> [TrainingCourse] {
        courses.filter { $0.certificate == certificate }
    }
}
