import Foundation
import Testing

@testable import TaktCore
@testable import TaktHost

@Suite struct SiteLoaderTests {
    static let header = """
        site:
          id: test-site
          name: Test
          region: test
          time_zone: Europe/London
          currency: GBP

        """

    func load(_ body: String, registry: ModuleRegistry = testRegistry) throws -> SiteDefinition {
        try SiteLoader(registry: registry).load(text: Self.header + body, file: "site.yaml")
    }

    /// The problems loading `text` reports, as `line: path: message` strings.
    func problems(_ text: String, withHeader: Bool = true) -> [String] {
        do {
            _ = try SiteLoader(registry: testRegistry).load(
                text: (withHeader ? Self.header : "") + text, file: "site.yaml")
            return []
        } catch {
            guard case .invalidSite(let found) = error else { return ["\(error)"] }
            return found.map(\.description)
        }
    }

    // MARK: module life cycle

    @Test func aGoodModuleConfigurationRegistersItsRules() throws {
        let definition = try load("modules:\n  test_chill:\n    max_celsius: 4\n")
        #expect(definition.site.modules == ["test_chill"])
        #expect(definition.rules.check("test_chill.ccp.chill")?.limits.max == 4)
    }

    @Test func anEmptyModuleBlockTakesTheDefaults() throws {
        let definition = try load("modules:\n  test_chill:\n")
        #expect(definition.rules.check("test_chill.ccp.chill")?.limits.max == 5)
    }

    @Test func anUnknownKeyInAModuleNamesTheModuleAndThePhase() {
        #expect(
            problems("modules:\n  test_chill:\n    max_celcius: 4\n") == [
                "site.yaml:9: modules.test_chill: module test_chill (decode): unknown key 'max_celcius'; did you mean 'max_celsius'?"
            ])
    }

    @Test func anUnknownModuleListsTheAvailableOnes() {
        #expect(
            problems("modules:\n  baking:\n") == [
                "site.yaml:8: modules: unknown module 'baking' (available: test_chill, test_colliding)"
            ])
    }

    @Test func failingValidationNamesTheModuleThePhaseAndTheLaw() {
        #expect(
            problems("modules:\n  test_chill:\n    max_celsius: 9\n") == [
                "site.yaml:9: modules.test_chill.max_celsius: module test_chill (validate): 9 °C is above the legal maximum 8 °C (Regulation (EC) 852/2004)"
            ])
    }

    @Test func aFailingRegistrationNamesThePhase() {
        let found = problems("modules:\n  test_chill:\n  test_colliding:\n")
        #expect(
            found == [
                "site.yaml:9: modules.test_colliding: module test_colliding (register): rule 'test_chill.ccp.chill' is registered twice"
            ])
    }

    @Test func aWrongTypeInAModuleIsADecodeProblem() {
        #expect(
            problems("modules:\n  test_chill:\n    max_celsius: cold\n").first?.contains(
                "modules.test_chill.max_celsius: module test_chill (decode): expected a number") == true)
    }

    // MARK: declarative rules

    @Test func aSiteTightensAModuleLimitButCannotLoosenIt() throws {
        let tight = try load(
            "modules:\n  test_chill:\nrules:\n  limits:\n    - rule: test_chill.ccp.chill\n      max: 3\n")
        #expect(tight.rules.check("test_chill.ccp.chill")?.limits.max == 3)
        let loose = problems(
            "modules:\n  test_chill:\nrules:\n  limits:\n    - rule: test_chill.ccp.chill\n      max: 7\n")
        #expect(
            loose == [
                "site.yaml:11: rules.limits[0]: test_chill.ccp.chill: max 7 °C is looser than the allowed max 5 °C (test_chill's limit for this site; Regulation (EC) 852/2004)"
            ])
    }

    @Test func declarativeChecksChangeoversAndQualificationsRegister() throws {
        let definition = try load(
            """
            work_centres:
              - id: line
            products:
              - id: seeded
                attributes: {allergens: [sesame]}
              - id: plain
            rules:
              checks:
                - id: site.chill
                  name: Chiller
                  unit: °C
                  max: 5
                  every: 4h
                  on_breach: [hold_lot]
                  corrective_action: Move stock.
              changeovers:
                - id: site.sesame
                  from: {has: {allergens: [sesame]}}
                  to: {lacks: {allergens: [sesame]}}
                  duration: 45m
                  task: allergen clean
              qualifications:
                - id: site.recorder
                  checks: [site.chill]
                  certificate: hygiene
            """)
        #expect(definition.rules.check("site.chill")?.every == .hours(4))
        let seeded = definition.products["seeded"]!
        let plain = definition.products["plain"]!
        #expect(
            definition.rules.changeover(from: seeded, to: plain, on: "line")
                == .required(duration: .minutes(45), task: "allergen clean", rule: "site.sesame"))
        #expect(definition.rules.changeover(from: plain, to: seeded, on: "line") == nil)
        #expect(definition.rules.safety.map(\.id) == ["site.recorder"])
    }

    @Test func siteRuleIDsMustBeInTheSiteNamespace() {
        let found = problems(
            "rules:\n  checks:\n    - id: food.chill\n      name: C\n      unit: °C\n      max: 5\n      corrective_action: x\n"
        )
        #expect(
            found == [
                "site.yaml:9: rules.checks[0].id: a site's own rule ids start with 'site.' (for example site.food.chill)"
            ])
    }

    // MARK: bad input

    @Test func invalidYAMLIsReportedAtItsLine() {
        let found = problems("site:\n  id: [unclosed\n", withHeader: false)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("site.yaml:") == true)
        #expect(found.first?.contains("invalid YAML") == true)
    }

    @Test func everyProblemIsListedNotJustTheFirst() {
        let found = problems(
            """
            work_centres:
              - id: line
                capasity: 2
                calendar: nights
              - id: line
            products:
              - id: loaf
                routing:
                  - id: bake
                    work_centres: [oven]
                    seconds_per_unit: 2
                  - id: cool
                    work_centres: [line]
                    seconds_per_unit: 1
                    after: [cool]
            """
        ).joined(separator: "\n")
        #expect(found.contains("site.yaml:9: work_centres[0]: unknown key 'capasity'; did you mean 'capacity'?"))
        #expect(found.contains("site.yaml:10: work_centres[0].calendar: unknown calendar 'nights' (none are defined)"))
        #expect(found.contains("site.yaml:11: work_centres[1].id: duplicate work centre id 'line'"))
        #expect(found.contains("products[0].routing[0].work_centres: unknown work centre 'oven' (known: line, line)"))
        #expect(found.contains("routing has a cycle through operation 'cool'"))
    }

    @Test func overtimeIsReadSiteLocalAndBadPeriodsAreNamed() throws {
        let calendar = """
            calendars:
              - id: days
                shifts:
                  - {days: [mon], start: "06:00", end: "14:00"}
                overtime:
                  - {from: 2026-12-06T06:00, to: 2026-12-06T14:00, reason: Sunday rush}

            """
        let site = try load(calendar)
        let overtime = try #require(site.calendars["days"]?.overtime.first)
        #expect(overtime.from == Instant.parse("2026-12-06T06:00:00Z", in: .gmt))
        #expect(overtime.reason == "Sunday rush")
        let found = problems(
            """
            calendars:
              - id: days
                shifts:
                  - {days: [mon], start: "06:00", end: "14:00"}
                overtime:
                  - {from: 2026-12-06T14:00, to: 2026-12-06T06:00, reason: backwards}
                  - {from: sunday, to: 2026-12-06T06:00, reason: vague}
            """)
        #expect(found.contains { $0.contains("calendars[0].overtime[0].to: ends before it starts") })
        #expect(found.contains { $0.contains("calendars[0].overtime[1].from: 'sunday' is not a date and time") })
    }

    @Test func unknownTimeZoneAndCurrencyAreNamed() {
        let text = "site:\n  id: x\n  name: X\n  region: r\n  time_zone: Europe/Londn\n  currency: POUND\n"
        let found = problems(text, withHeader: false)
        #expect(
            found == [
                "site.yaml:5: site.time_zone: unknown time zone 'Europe/Londn': use an IANA name such as Europe/London",
                "site.yaml:6: site.currency: unknown currency 'POUND': use an ISO 4217 code such as GBP",
            ])
    }

    @Test func aMissingKeyIsNamed() {
        let found = problems("site:\n  id: x\n  name: X\n  region: r\n  currency: GBP\n", withHeader: false)
        #expect(found == ["site.yaml:2: site: missing key 'time_zone'"])
    }

    @Test func aProductWithoutARoutingIsWarnedAbout() throws {
        let definition = try load("products:\n  - {id: soup}\n")
        #expect(definition.warnings.count == 1)
        #expect(definition.warnings.first?.contains("products[0]: product soup has no routing") == true)
    }

    func messages(_ text: String) -> [String] {
        do {
            _ = try SiteLoader(registry: testRegistry).load(text: text, file: "site.yaml")
            return []
        } catch {
            guard case .invalidSite(let problems) = error else { return ["\(error)"] }
            return problems.map(\.description)
        }
    }

    /// Messages are in the project's words, list every missing key, point at the value, and do not cascade.
    @Test func validatorMessagesSayWhatToWrite() {
        let day = messages(
            Self.header
                + "calendars:\n  - id: c\n    shifts:\n      - {name: e, days: [Mon], start: \"06:00\", end: \"14:00\"}\n"
        )
        #expect(
            day == [
                "site.yaml:10: calendars[0].shifts[0].days[0]: 'Mon' is not a day; use mon, tue, wed, thu, fri, sat, sun"
            ])
        let zone = messages("site:\n  id: x\n  name: X\n  region: r\n  timezone: Europe/Dublin\n  currency: EUR\n")
        #expect(zone == ["site.yaml:2: site: missing key 'time_zone'; found 'timezone': did you mean 'time_zone'?"])
        let missing = messages("site:\n  id: x\n  region: r\n")
        #expect(missing.count == 3)
        #expect(missing.allSatisfy { $0.hasPrefix("site.yaml:2: site: missing key") })
        let tab = messages("site:\n\tid: x\n")
        #expect(tab == ["site.yaml:2: YAML does not allow tabs for indentation; indent with spaces"])
        let cascade = messages(
            Self.header
                + "modules:\n  test_chill:\n    max_celsius: 9\nrules:\n  limits:\n    - {rule: test_chill.ccp.chill, max: 4}\n"
        )
        #expect(cascade.count == 1)
        #expect(cascade.first?.contains("module test_chill (validate)") == true)
    }
}

/// `items:`, `suppliers:` and `materials:` are checked like the rest of site.yaml.
@Suite struct MaterialsConfigurationTests {
    func problems(_ text: String) -> [String] {
        do {
            _ = try SiteLoader(registry: testRegistry).load(text: SiteLoaderTests.header + text, file: "site.yaml")
            return []
        } catch {
            guard case .invalidSite(let found) = error else { return ["\(error)"] }
            return found.map(\.description)
        }
    }

    @Test func itemsAndSuppliersAreLoadedAndCheckedWithTheirLines() throws {
        let good = try SiteLoader(registry: testRegistry).load(
            text: SiteLoaderTests.header + """
                items:
                  - {id: flour, unit: kg, storage: dry, shelf_life: 180d, attributes: {allergens: [gluten]}}
                suppliers:
                  - {id: millers, items: {flour: conditional}}
                materials: {unapproved_supplier: hold}
                """, file: "site.yaml")
        #expect(good.items["flour"]?.storage == .dry && good.items["flour"]?.attributes["allergens"] == ["gluten"])
        #expect(good.suppliers["millers"]?.items["flour"] == .conditional && good.unapprovedSupplier == .hold)
        let bad = problems(
            """
            items:
              - {id: flour, unit: kg}
              - {id: flour, unit: " "}
            suppliers:
              - {id: millers, items: {flower: approved}}
            """)
        #expect(bad.contains { $0.contains("site.yaml:9: items[1].id: item 'flour' is listed twice") }, "\(bad)")
        #expect(bad.contains { $0.contains("items[1].unit: give the unit") }, "\(bad)")
        #expect(bad.contains { $0.contains("unknown item 'flower'") }, "\(bad)")
        #expect(problems("items:\n  - {id: flour, unit: kg, storage: damp}\n").first?.contains("damp") == true)
        #expect(problems("materials: {unapproved_supplier: maybe}\n").first?.contains("maybe") == true)
    }

    @Test func billsOfMaterialsNameKnownComponentsAndNoProductIsItsOwnIngredient() {
        let cycle = problems(
            """
            items:
              - {id: flour, unit: kg}
            products:
              - {id: dough, bom: [{item: flour, quantity: 0.6}, {item: loaf, quantity: 0.1}]}
              - {id: loaf, bom: [{item: dough, quantity: 0.75}, {item: flower, quantity: 1}, {item: flour, quantity: -1, scrap: 1.5}]}
            """)
        #expect(
            cycle.contains { $0.contains("dough is, through its bill of materials, one of its own ingredients") },
            "\(cycle)")
        #expect(cycle.contains { $0.contains("unknown item or product 'flower'") }, "\(cycle)")
        #expect(cycle.contains { $0.contains("bom[2].quantity: a quantity above 0") }, "\(cycle)")
        #expect(cycle.contains { $0.contains("bom[2].scrap: a share from 0 up to 1") }, "\(cycle)")
    }
}
