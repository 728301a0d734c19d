import Foundation
import Testing

@testable import TaktCore

@Suite struct RuleBookTests {
    let site = Site(id: "test", name: "Test", region: "r", timeZone: "UTC", currency: "GBP")
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func chill(max: Double = 5) -> CheckDefinition {
        CheckDefinition(
            id: "site.chill", name: "Chiller", unit: "°C", limits: .init(max: max), every: .hours(4),
            onBreach: [.holdLot], correctiveAction: "move stock", source: "legal maximum 8 °C")
    }

    func context() -> RuleContext { RuleContext(site: site, timeZone: TimeZone(identifier: "UTC")!, now: now) }

    @Test func aRuleIDCanBeRegisteredOnlyOnce() throws {
        var book = RuleBook()
        try book.addHygiene(chill())
        #expect(throws: CoreError.duplicateRule("site.chill")) { try book.addSafety(chill()) }
    }

    @Test func aReadingExactlyAtTheLimitIsWithinIt() {
        let rule = chill()
        let atLimit = CheckReading(check: "site.chill", value: 5, lot: "L1", at: now)
        let over = CheckReading(check: "site.chill", value: 5.1, lot: "L1", at: now)
        #expect(rule.evaluate(.reading(atLimit), in: context()).isEmpty)
        let findings = rule.evaluate(.reading(over), in: context())
        #expect(findings.count == 1)
        #expect(findings.first?.actions.first == FindingAction(.holdLot, "L1"))
        #expect(findings.first?.subject == .init(.lot, "L1"))
        #expect(findings.first?.message.contains("5.1 °C is above the limit 5 °C") == true)
    }

    @Test func aSiteMayTightenButNeverLoosenALimit() throws {
        var book = RuleBook()
        try book.addHygiene(chill())
        try book.tighten(LimitOverride(rule: "site.chill", max: 4))
        #expect(book.check("site.chill")?.limits.max == 4)
        #expect(throws: CoreError.self) { try book.tighten(LimitOverride(rule: "site.chill", max: 6)) }
        #expect(book.check("site.chill")?.limits.max == 4)
        #expect(throws: CoreError.unknownRule("site.nothing")) {
            try book.tighten(LimitOverride(rule: "site.nothing", max: 1))
        }
    }

    @Test func forbiddenTransitionsWinAndTheLongestChangeoverCounts() throws {
        let sesame = Product(id: "seeded", name: "Seeded", attributes: ["allergens": ["gluten", "sesame"]])
        let plain = Product(id: "plain", name: "Plain", attributes: ["allergens": ["gluten"]])
        var book = RuleBook()
        try book.addChangeover(
            SelectorChangeover(
                id: "site.short", from: .init(), to: .init(), duration: .minutes(10), task: "wipe down"))
        try book.addChangeover(
            SelectorChangeover(
                id: "site.sesame", from: .init(has: ["allergens": ["sesame"]]),
                to: .init(lacks: ["allergens": ["sesame"]]),
                duration: .minutes(45), task: "allergen clean"))
        #expect(
            book.changeover(from: sesame, to: plain, on: "line")
                == .required(duration: .minutes(45), task: "allergen clean", rule: "site.sesame"))
        #expect(
            book.changeover(from: plain, to: sesame, on: "line")
                == .required(duration: .minutes(10), task: "wipe down", rule: "site.short"))
        try book.addChangeover(
            SelectorChangeover(
                id: "site.never", from: .init(product: "seeded"), to: .init(product: "plain"), workCentres: ["line"],
                duration: nil, task: "never on this line"))
        #expect(
            book.changeover(from: sesame, to: plain, on: "line")
                == .forbidden(reason: "never on this line", rule: "site.never"))
        #expect(book.changeover(from: sesame, to: plain, on: "other")?.isForbidden == false)
    }

    @Test func anExpiredCertificateRaisesAQualificationFinding() {
        let rule = QualificationRule(id: "site.recorder", checks: ["site.chill"], certificate: "hygiene")
        let tom = Staff(
            id: "tom", name: "Tom",
            certificates: [.init(kind: "hygiene", expires: LocalDate(year: 2020, month: 1, day: 1))])
        let amara = Staff(id: "amara", name: "Amara", certificates: [.init(kind: "hygiene")])
        var context = context()
        context.staff = ["tom": tom, "amara": amara]
        let byTom = CheckReading(check: "site.chill", value: 3, recordedBy: "tom", at: now)
        let byAmara = CheckReading(check: "site.chill", value: 3, recordedBy: "amara", at: now)
        let byNobody = CheckReading(check: "site.chill", value: 3, at: now)
        #expect(rule.evaluate(.reading(byTom), in: context).first?.subject == .init(.staff, "tom"))
        #expect(rule.evaluate(.reading(byAmara), in: context).isEmpty)
        #expect(rule.evaluate(.reading(byNobody), in: context).count == 1)
    }

    @Test func theModuleRegistryRejectsTwoModulesWithOneID() {
        struct First: SiteModule {
            struct Configuration: Codable, Sendable {}
            static let id: ModuleID = "same"
            static let summary = "first"
            init(configuration: Configuration) {}
            func register(into book: inout RuleBook) throws(CoreError) {}
        }
        struct Second: SiteModule {
            struct Configuration: Codable, Sendable {}
            static let id: ModuleID = "same"
            static let summary = "second"
            init(configuration: Configuration) {}
            func register(into book: inout RuleBook) throws(CoreError) {}
        }
        #expect(throws: CoreError.duplicateModule("same")) { try ModuleRegistry([First.self, Second.self]) }
    }
}

extension Changeover {
    var isForbidden: Bool {
        if case .forbidden = self { return true }
        return false
    }
}

extension RuleBookTests {
    /// A check's texts per language reach its findings: the breach, and the check missed on time.
    @Test func findingsCarryTheirWordsInEveryLanguageTheCheckGives() throws {
        let check = chill().translated(.spanish, name: "Cámara", correctiveAction: "mueva el producto")
            .translated(.malay, name: "Penyejuk", correctiveAction: "pindahkan stok")
        let breach = try #require(
            check.evaluate(.reading(CheckReading(check: "site.chill", value: 7, lot: "L1", at: now)), in: context())
                .first)
        #expect(breach.message(in: .spanish) == "Cámara: 7 °C está por encima del límite 5 °C (legal maximum 8 °C)")
        #expect(breach.message(in: .malay) == "Penyejuk: 7 °C melebihi had 5 °C (legal maximum 8 °C)")
        #expect(breach.correctiveAction(in: .malay) == "pindahkan stok")
        #expect(breach.message(in: .english) == breach.message)
        var book = RuleBook()
        try book.addHygiene(check)
        var late = context()
        late.now = now.addingTimeInterval(5 * 3600)
        late.snapshot = SiteSnapshot(lastReadings: [:], since: now)
        let overdue = try #require(book.evaluate(.tick(late.now), in: late).first)
        #expect(overdue.message(in: .spanish).hasPrefix("Cámara está vencido desde"))
        #expect(overdue.message(in: .malay).contains("tidak pernah direkod"))
    }
}
