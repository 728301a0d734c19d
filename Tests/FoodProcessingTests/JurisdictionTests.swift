import Foundation
import Testing

@testable import BuiltinModules
@testable import FoodProcessing
@testable import OverseasPlant
@testable import TaktCore
@testable import TaktHost

/// The law a site runs under is the law of where it is: an Irish plant cites Irish law and Irish limits, a
/// Scottish one reheats to 82 °C, and a place the module has no table for is told so.
@Suite struct JurisdictionTests {
    func load(country: String?, _ modules: String) throws -> SiteDefinition {
        let place = country.map { ", country: \($0)" } ?? ""
        let text = "site: {id: t, name: T, region: r, time_zone: Europe/Dublin, currency: EUR\(place)}\n" + modules
        return try SiteLoader(registry: try BuiltinModules.registry()).load(text: text, file: "site.yaml")
    }

    func problems(country: String?, _ modules: String) -> [String] {
        do {
            _ = try load(country: country, modules)
            return []
        } catch let error as HostError {
            guard case .invalidSite(let found) = error else { return ["\(error)"] }
            return found.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    @Test func anIrishPlantCitesIrishLawAndItsLimits() throws {
        let site = try load(country: "IE", "modules:\n  food_processing: {}\n")
        let texts = site.rules.checks.compactMap(\.source).joined(separator: "\n")
        #expect(texts.contains("FSAI"))
        #expect(!texts.contains("England"))
        #expect(site.rules.check("food_processing.ccp.chill")?.limits.max == 5)
        let looser = problems(country: "IE", "modules:\n  food_processing: {chill: {max_celsius: 7}}\n")
        #expect(looser.first?.contains("7 °C is above the legal maximum 5 °C in Ireland") == true)
        // The same 7 °C is within England's 8 °C.
        #expect(problems(country: "GB-ENG", "modules:\n  food_processing: {chill: {max_celsius: 7}}\n").isEmpty)
    }

    @Test func scotlandReheatsTo82DegreesTheRestOfTheUKTo75() throws {
        let scotland = try load(country: "GB-SCT", "modules:\n  food_processing: {}\n")
        #expect(scotland.rules.check("food_processing.ccp.reheat")?.limits.min == 82)
        #expect(scotland.rules.check("food_processing.ccp.reheat")?.source?.contains("Scotland") == true)
        for country in ["GB-ENG", "GB-WLS", "GB-NIR"] {
            let site = try load(country: country, "modules:\n  food_processing: {}\n")
            #expect(site.rules.check("food_processing.ccp.reheat")?.limits.min == 75, "\(country)")
        }
        // takt site show lists the law of the site's place only, each number with its citation.
        let england = try load(country: "GB-ENG", "modules:\n  food_processing: {}\n").rules.legalLimits
        #expect(Set(england.map(\.jurisdiction)) == ["GB-ENG"])
        #expect(
            england.contains { $0.id == "food_processing.chill.max" && $0.value == 8 && $0.citation.contains("2013") })
    }

    /// A site tightening a limit through `rules.limits` is told which number it loosened and where that number
    /// comes from; limits no reading could meet are refused.
    @Test func aLooserOverrideCitesTheNumberItWasComparedWith() throws {
        let override = { (max: String) in
            "modules:\n  food_processing: {}\nrules:\n  limits:\n    - {rule: food_processing.ccp.chill, max: \(max)}\n"
        }
        // England: the module's 5 °C (FSA advice), with the law's 8 °C beside it; nothing else is reported.
        let england = problems(country: "GB-ENG", override("7"))
        #expect(england.count == 1)
        #expect(
            england.first?.contains(
                "max 7 °C is looser than the allowed max 5 °C (food_processing's limit for this site; the law's is ≤ 8 °C: Food Safety and Hygiene (England) Regulations 2013"
            ) == true, "\(england)")
        // Ireland: 5 °C is the law's own number, cited alone.
        let ireland = problems(country: "IE", override("6"))
        #expect(
            ireland.first?.contains("looser than the allowed max 5 °C (Regulation (EC) No 852/2004") == true,
            "\(ireland)")
        let never = problems(
            country: "GB-ENG",
            "modules:\n  food_processing: {}\nrules:\n  limits:\n    - {rule: food_processing.ccp.hot_hold, max: 50}\n")
        #expect(never.first?.contains("min 63 °C is above max 50 °C, so no reading could pass") == true, "\(never)")
    }

    @Test func aPlaceWithoutATableOrNoCountryIsToldSo() {
        let germany = problems(country: "DE", "modules:\n  food_processing: {}\n")
        #expect(germany.count == 1)
        #expect(
            germany.first?.contains(
                "site.country: module food_processing (register): food_processing has no table of the food law of DE")
                == true)
        let none = problems(country: nil, "modules:\n  food_processing: {}\n")
        #expect(none.first?.contains("give site.country") == true)
        #expect(problems(country: "XX", "work_centres: []\n").first?.contains("is not an ISO 3166 code") == true)
    }

    /// Ireland's Organisation of Working Time Act: 15 minutes after 4 h 30, 30 minutes after 6 h.
    @Test func anIrishRosterNeedsItsBreaks() throws {
        let site = try load(country: "IE", "modules:\n  overseas_plant: {}\nstaff: [{id: aoife, name: Aoife}]\n")
        let breaks = try #require(site.rules.safety.first { $0.id == "overseas_plant.ie.breaks" })
        let zone = TimeZone(identifier: "Europe/Dublin")!
        let start = Instant.parse("2026-11-26T06:00", in: zone)!
        func judge(hours: Double, pause: Int) -> [Finding] {
            let shift = ShiftAssignment(
                staff: "aoife", start: start, end: start.addingTimeInterval(hours * 3600), breakTime: .minutes(pause))
            var context = RuleContext(site: site.site, timeZone: zone, now: start, staff: site.staff)
            context.assignments = []
            return breaks.evaluate(.assignment(shift), in: context)
        }
        #expect(judge(hours: 4.5, pause: 0).isEmpty)
        #expect(judge(hours: 5, pause: 10).first?.message.contains("at least 15m") == true)
        #expect(judge(hours: 5, pause: 15).isEmpty)
        #expect(
            judge(hours: 8, pause: 20).first?.message.contains("Organisation of Working Time Act 1997, s. 12") == true)
        #expect(judge(hours: 8, pause: 30).isEmpty)
    }

    /// A chilled delivery is a control point of its own: at most the law's chill limit on receipt (8 °C in
    /// England, 5 °C in Ireland), or the site's tighter one; a warmer delivery goes on hold.
    @Test func chilledDeliveriesAreCheckedOnReceipt() throws {
        let england = try load(country: "GB-ENG", "modules:\n  food_processing: {}\n")
        let check = try #require(england.rules.check("food_processing.ccp.receiving"))
        #expect(check.limits.max == 8 && check.onBreach == [.holdLot])
        #expect(check.limits.breach(of: 8, unit: "°C") == nil && check.limits.breach(of: 8.1, unit: "°C") != nil)
        #expect(
            try load(country: "IE", "modules:\n  food_processing: {}\n").rules.check("food_processing.ccp.receiving")?
                .limits.max == 5)
        let tighter = try load(country: "GB-ENG", "modules:\n  food_processing: {receiving: {max_celsius: 5}}\n")
        #expect(tighter.rules.check("food_processing.ccp.receiving")?.limits.max == 5)
        let looser = problems(country: "GB-ENG", "modules:\n  food_processing: {receiving: {max_celsius: 9}}\n")
        #expect(
            looser.first?.contains(
                "receiving.max_celsius: module food_processing (register): 9 °C is above the legal maximum 8 °C in England"
            ) == true)
        let off = try load(country: "GB-ENG", "modules:\n  food_processing: {receiving: false}\n")
        #expect(off.rules.check("food_processing.ccp.receiving") == nil)
        #expect(off.rules.off["food_processing.ccp.receiving"] != nil)
    }

    /// Metal detector test pieces must be sizes a detector is plausibly tested with, rising from ferrous to
    /// stainless steel.
    @Test func implausibleTestPiecesAreRefused() throws {
        let site = { (metal: String) in "modules:\n  food_processing: {metal_detection: {\(metal)}}\n" }
        #expect(problems(country: "GB-ENG", site("ferrous_mm: 1.5, non_ferrous_mm: 2, stainless_mm: 2.5")).isEmpty)
        #expect(
            problems(country: "GB-ENG", site("stainless_mm: 25")).first?.contains(
                "25 mm stainless steel test piece is outside the 1.2–6 mm") == true)
        #expect(problems(country: "GB-ENG", site("ferrous_mm: 0.1")).first?.contains("outside the 0.8–4 mm") == true)
        #expect(
            problems(country: "GB-ENG", site("ferrous_mm: 3, stainless_mm: 2")).first?.contains(
                "two are probably swapped") == true)
        #expect(problems(country: "GB-ENG", site("ferrous_mm: 0.8")).isEmpty)
        #expect(!problems(country: "GB-ENG", site("ferrous_mm: 0.79")).isEmpty)
    }

    /// A product's allergens include its ingredients', through intermediates, and allergen cleans use them.
    @Test func allergensComeFromTheBillOfMaterials() throws {
        let site = try load(
            country: "GB-ENG",
            """
            modules:
              food_processing: {}
            items:
              - {id: flour, unit: kg, attributes: {allergens: [gluten]}}
              - {id: rice-flour, unit: kg}
            products:
              - {id: dough, bom: [{item: flour, quantity: 0.6}]}
              - {id: bread, bom: [{item: dough, quantity: 1}]}
              - {id: rice-bread, bom: [{item: rice-flour, quantity: 1}]}
            """)
        let bread = try #require(site.products["bread"])
        let rice = try #require(site.products["rice-bread"])
        #expect(bread.values(of: "allergens") == ["gluten"] && bread.declared("allergens") == nil)
        #expect(site.rules.changeover(from: bread, to: rice, on: "line-1") != nil)
        #expect(site.rules.changeover(from: rice, to: bread, on: "line-1") == nil)
        let typo = problems(
            country: "GB-ENG",
            "modules:\n  food_processing: {}\nitems:\n  - {id: flour, unit: kg, attributes: {allergens: [glutten]}}\n")
        #expect(typo.first?.contains("item flour: 'glutten' is not one of the 14 allergens") == true, "\(typo)")
    }
}
