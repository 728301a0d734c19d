import Foundation
import TaktCore

extension SiteBuilder {
    /// An operation's crew: each need a skill and a count from 1 to 100, no skill twice.
    mutating func crewNeeds(_ specs: [CrewNeed], at path: [Any]) -> [CrewNeed] {
        var seen: Set<String> = []
        for (index, need) in specs.enumerated() {
            if need.skill.trimmingCharacters(in: .whitespaces).isEmpty {
                report("a crew place names a skill", at: path + [index, "skill"])
            } else if !seen.insert(need.skill).inserted {
                report("skill '\(need.skill)' is listed twice; give it one count", at: path + [index, "skill"])
            }
            if !(1...100).contains(need.count) {
                report("a crew needs 1 to 100 people of a skill, not \(need.count)", at: path + [index, "count"])
            }
        }
        return specs
    }

    /// Loads `people:`: the training lead, the matrix's look-ahead, courses and the site's shift patterns.
    mutating func loadPeople() {
        guard let spec = configuration.people else { return }
        var policy = PeoplePolicy()
        if let lead = spec.trainingLead {
            if lead.seconds < 86_400 || lead.seconds > 366 * 86_400 {
                report("the training lead is between 1d and 366d, not \(lead)", at: ["people", "training_lead"])
            }
            policy.trainingLead = lead
        }
        if let days = spec.matrixDays {
            if !(1...62).contains(days) {
                report("matrix_days is between 1 and 62, not \(days)", at: ["people", "matrix_days"])
            }
            policy.matrixDays = days
        }
        checkUnique((spec.courses ?? []).map(\.id), at: ["people", "courses"], kind: "course")
        for (index, course) in (spec.courses ?? []).enumerated() {
            let path: [Any] = ["people", "courses", index]
            if course.certificate == nil && course.skill == nil {
                report("a course gives a certificate, teaches a skill, or both", at: path)
            }
            if let months = course.validMonths, !(1...120).contains(months) {
                report("valid_months is between 1 and 120, not \(months)", at: path + ["valid_months"])
            }
            if course.validMonths != nil, course.certificate == nil {
                report("valid_months needs a certificate to apply to", at: path + ["valid_months"])
            }
            if course.level != nil, course.skill == nil {
                report("level needs the skill it is in", at: path + ["level"])
            }
            policy.courses.append(
                TrainingCourse(
                    id: course.id, name: course.name ?? course.id, certificate: course.certificate,
                    validMonths: course.validMonths, skill: course.skill, level: course.level))
        }
        checkUnique((spec.patterns ?? []).map(\.id), at: ["people", "patterns"], kind: "pattern")
        for (index, pattern) in (spec.patterns ?? []).enumerated() {
            let path: [Any] = ["people", "patterns", index]
            if ShiftPattern.builtIn[pattern.id] != nil {
                report("'\(pattern.id)' is a built-in pattern; give yours another id", at: path + ["id"])
            }
            let made = ShiftPattern(
                id: pattern.id, cycle: pattern.cycle, shifts: pattern.shifts, teams: pattern.teams ?? 1,
                offset: pattern.offset ?? 0)
            for problem in made.problems { report(problem, at: path) }
            for (shiftIndex, shift) in pattern.shifts.enumerated() where shift.start == shift.end {
                report("a shift must not start and end at the same time", at: path + ["shifts", shiftIndex])
            }
            policy.patterns.append(made)
        }
        definition.people = policy
    }

    private mutating func checkUnique(_ ids: [String], at path: [Any], kind: String) {
        var seen: Set<String> = []
        for (index, id) in ids.enumerated() where !seen.insert(id).inserted {
            report("duplicate \(kind) id '\(id)'", at: path + [index, "id"])
        }
    }
}
