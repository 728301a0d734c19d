import Foundation
import Testing

@testable import BuiltinModules
@testable import FoodProcessing
@testable import TaktCore
@testable import TaktHost

@Suite struct FoodProcessingTests {
    static let header = """
        site: {id: t, name: T, region: r, time_zone: Europe/London, currency: GBP, country: GB-ENG}
        work_centres: [{id: line-1}, {id: line-2}]

        """

    func load(_ body: String) throws -> SiteDefinition {
        try SiteLoader(registry: try BuiltinModules.registry()).load(text: Self.header + body, file: "site.yaml")
    }

    func problems(_ body: String) -> [String] {
        do {
            _ = try load(body)
            return []
        } catch let error as HostError {
            guard case .invalidSite(let found) = error else { return ["\(error)"] }
            return found.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    /// A plant without hot holding turns it off; `null` and an empty list are refused instead of silently
    /// leaving the check on.
    @Test func aControlPointThePlantDoesNotHaveCanBeTurnedOff() throws {
        let off = try load("modules:\n  food_processing:\n    hot_holding: false\n")
        #expect(off.rules.check("food_processing.ccp.hot_hold") == nil)
        #expect(off.rules.off["food_processing.ccp.hot_hold"] == "modules.food_processing.hot_holding: false")
        let recorder = off.rules.safety.compactMap { $0 as? QualificationRule }.first {
            $0.id == "food_processing.people.ccp_recorder"
        }
        #expect(recorder?.checks.contains("food_processing.ccp.hot_hold") == false)
        #expect(
            try load("modules:\n  food_processing:\n    hot_holding: true\n").rules.check(
                "food_processing.ccp.hot_hold") != nil)
        let null = problems("modules:\n  food_processing:\n    hot_holding: null\n")
        #expect(null.first?.contains("null does not say whether it is on: write false to turn it off") == true)
        let empty = problems("modules:\n  food_processing:\n    hot_holding: {work_centres: []}\n")
        #expect(empty.first?.contains("write `hot_holding: false` to turn it off") == true)
        let typo = problems("modules:\n  food_processing:\n    hot_holding: {min_celsuis: 70}\n")
        #expect(typo.first?.contains("did you mean 'min_celsius'") == true)
        let metalOff = try load("modules:\n  food_processing:\n    metal_detection: false\n")
        #expect(metalOff.rules.checks.filter { $0.id.rawValue.hasPrefix("food_processing.ccp.metal") }.isEmpty)
    }

    /// Listing some lines under allergens.lines leaves the others without an allergen clean: a shared line with
    /// mixed allergens that is not listed gets a warning.
    @Test func aSharedLineWithMixedAllergensAndNoCleanIsWarnedAbout() throws {
        let definition = try load(
            """
            modules:
              food_processing:
                allergens: {lines: {line-2: 45m}}
            products:
              - {id: curry, attributes: {allergens: [milk]}, routing: [{id: cook, work_centres: [line-1], units_per_hour: 60}]}
              - {id: dal, routing: [{id: cook, work_centres: [line-1], units_per_hour: 60}]}
            """)
        #expect(definition.warnings.count == 1)
        #expect(
            definition.warnings.first?.contains(
                "line-1 runs products with different allergens (curry: milk; dal: none)") == true)
        let everyLine = try load(
            """
            modules:
              food_processing: {}
            products:
              - {id: curry, attributes: {allergens: [milk]}, routing: [{id: cook, work_centres: [line-1], units_per_hour: 60}]}
              - {id: dal, routing: [{id: cook, work_centres: [line-1], units_per_hour: 60}]}
            """)
        #expect(everyLine.warnings.isEmpty)
    }

    @Test func aSiteRuleRepeatingTheModulesRecorderRuleIsWarnedAbout() throws {
        let definition = try load(
            """
            modules:
              food_processing: {}
            rules:
              qualifications:
                - {id: site.recorder, checks: [food_processing.ccp.chill], certificate: food_hygiene_level_2}
                - {id: site.supervisor, checks: [food_processing.ccp.chill], certificate: supervisor}
            """)
        #expect(definition.warnings.count == 1)
        #expect(
            definition.warnings.first?.contains("site.recorder repeats food_processing.people.ccp_recorder") == true)
    }

    @Test func aChillLimitAboveTheLegalEightDegreesIsRefusedNamingTheLaw() {
        let found = problems("modules:\n  food_processing:\n    chill:\n      max_celsius: 8.5\n")
        #expect(found.count == 1)
        #expect(found.first?.contains("modules.food_processing.chill.max_celsius") == true)
        #expect(found.first?.contains("8.5 °C is above the legal maximum 8 °C") == true)
        #expect(found.first?.contains("Food Safety and Hygiene (England) Regulations 2013") == true)
    }

    @Test func theSiteMayChooseAnyChillLimitUpToEight() throws {
        let eight = try load("modules:\n  food_processing:\n    chill:\n      max_celsius: 8\n")
        #expect(eight.rules.check("food_processing.ccp.chill")?.limits.max == 8)
        let advised = try load("modules:\n  food_processing:\n")
        #expect(advised.rules.check("food_processing.ccp.chill")?.limits.max == 5)
    }

    @Test func hotHoldingBelowSixtyThreeIsRefused() {
        let found = problems("modules:\n  food_processing:\n    hot_holding:\n      min_celsius: 60\n")
        #expect(found.first?.contains("60 °C is below the legal minimum 63 °C") == true)
    }

    @Test func aSiteCannotLoosenAModuleLimitThroughRulesEither() {
        let found = problems(
            "modules:\n  food_processing:\nrules:\n  limits:\n    - {rule: food_processing.ccp.chill, max: 6}\n")
        #expect(found.first?.contains("max 6 °C is looser than the allowed max 5 °C") == true)
    }

    @Test func productsNameOnlyTheFourteenAllergens() {
        let found = problems(
            "modules:\n  food_processing:\nproducts:\n  - {id: pie, attributes: {allergens: [gluten, walnuts]}}\n")
        #expect(found.first?.contains("product pie: 'walnuts' is not one of the 14 allergens") == true)
        #expect(found.first?.contains("(review)") == true)
    }

    @Test func configuredWorkCentresMustExist() {
        let found = problems("modules:\n  food_processing:\n    chill:\n      work_centres: [freezer]\n")
        #expect(found.first?.contains("unknown work centre 'freezer'") == true)
    }

    @Test func anAllergenCleanIsNeededOnlyWhenTheNextProductLacksAnAllergen() throws {
        let site = try load(
            """
            modules:
              food_processing:
                allergens:
                  lines: {line-1: 45m}
            products:
              - {id: plain}
              - {id: milky, attributes: {allergens: [milk]}}
              - {id: milky-nutty, attributes: {allergens: [milk, tree_nuts]}}
            """)
        let plain = site.products["plain"]!
        let milky = site.products["milky"]!
        let nutty = site.products["milky-nutty"]!
        let rules = site.rules
        #expect(rules.changeover(from: plain, to: milky, on: "line-1") == nil)
        #expect(rules.changeover(from: milky, to: nutty, on: "line-1") == nil)
        guard case .required(let duration, let task, _)? = rules.changeover(from: nutty, to: milky, on: "line-1") else {
            Issue.record("expected an allergen clean")
            return
        }
        #expect(duration == .minutes(45))
        #expect(task.contains("tree_nuts"))
        #expect(rules.changeover(from: nutty, to: plain, on: "line-2") == nil)
    }

    @Test func sanitationBecomesAMaximumRun() throws {
        let site = try load(
            "modules:\n  food_processing:\n    sanitation:\n      - {work_centres: [line-2], every: 8h, clean: 40m}\n")
        let run = try #require(site.rules.scheduling.maximumRuns.first)
        #expect(run.workCentres == ["line-2"])
        #expect(run.maximum == .hours(8))
        #expect(run.taskDuration == .minutes(40))
    }
}
