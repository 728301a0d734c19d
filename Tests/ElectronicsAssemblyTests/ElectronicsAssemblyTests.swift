import Foundation
import Testing

@testable import BuiltinModules
@testable import ElectronicsAssembly
@testable import TaktCore
@testable import TaktHost

@Suite struct ElectronicsAssemblyTests {
    func load(_ body: String) throws -> SiteDefinition {
        let header = """
            site: {id: t, name: T, region: r, time_zone: Asia/Kuala_Lumpur, currency: MYR}
            work_centres: [{id: placer}, {id: aoi}]
            products:
              - {id: a, attributes: {family: [set-1]}}
              - {id: b, attributes: {family: [set-1]}}
              - {id: c, attributes: {family: [set-2]}}

            """
        return try SiteLoader(registry: try BuiltinModules.registry()).load(text: header + body, file: "site.yaml")
    }

    @Test func familiesChangeOverQuicklyWithinAndSlowlyBetween() throws {
        let site = try load("modules:\n  electronics_assembly:\n    placers: [placer]\n    between_families: 50m\n")
        let (a, b, c) = (site.products["a"]!, site.products["b"]!, site.products["c"]!)
        #expect(
            site.rules.changeover(from: a, to: b, on: "placer")
                == .required(
                    duration: .minutes(10), task: "feeder adjustment within family",
                    rule: "electronics_assembly.smt.family_changeover"))
        #expect(
            site.rules.changeover(from: a, to: c, on: "placer")
                == .required(
                    duration: .minutes(50), task: "feeder set change",
                    rule: "electronics_assembly.smt.family_changeover"))
        #expect(site.rules.changeover(from: a, to: c, on: "aoi") == nil)
        #expect(site.rules.changeover(from: a, to: a, on: "placer") == nil)
    }

    @Test func anESDTestValidForLongerThanADayIsRefused() {
        #expect(throws: HostError.self) {
            try load("modules:\n  electronics_assembly:\n    esd_stations: [placer]\n    esd_test_valid_for: 2d\n")
        }
    }

    @Test func theFloorLifeTableFollowsJSTD033() {
        let hours: [MoistureLevel: Double?] = [
            .level1: nil, .level2: 8760, .level2a: 672, .level3: 168, .level4: 72, .level5: 48, .level5a: 24,
        ]
        for (level, expected) in hours {
            let reel = Reel(id: "r", part: "p", level: level)
            #expect(FloorLifeRule.floorLife(of: reel).map { $0 / 3600 } == expected, "MSL \(level.rawValue)")
        }
        let six = Reel(id: "r", part: "p", level: .level6, labelFloorLife: .hours(4))
        #expect(FloorLifeRule.floorLife(of: six) == TimeInterval(4 * 3600))
    }
}
