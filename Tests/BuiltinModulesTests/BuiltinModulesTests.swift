import Foundation
import Testing

@testable import BuiltinModules
@testable import TaktCore
@testable import TaktHost

@Suite struct BuiltinModulesTests {
    @Test func theBuiltInListHasUniqueIDs() throws {
        let registry = try BuiltinModules.registry()
        #expect(registry.ids.map(\.rawValue) == ["electronics_assembly", "food_processing", "overseas_plant"])
    }

    @Test func everyExampleSiteLoadsWithTheBuiltInModules() throws {
        let sites = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("sites")
        let folders = try FileManager.default.contentsOfDirectory(atPath: sites.path).sorted()
        #expect(folders == ["leeds-bakery", "monterrey-assembly", "penang-smt"])
        for folder in folders {
            let definition = try SiteLoader(registry: try BuiltinModules.registry())
                .load(path: sites.appendingPathComponent(folder).path)
            #expect(definition.site.id == folder)
            #expect(!definition.site.modules.isEmpty)
            #expect(
                FileManager.default.fileExists(
                    atPath: sites.appendingPathComponent(folder).appendingPathComponent("README.md").path))
        }
    }

    /// A module README's table of legal limits is the module's own table, so the two can never drift apart
    /// (`TAKT_UPDATE_GOLDEN=1 swift test` rewrites the README's table after a deliberate change).
    @Test func everyModuleReadmeShowsItsLegalLimitsTable() throws {
        let plugins = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Plugins")
        let folders: [ModuleID: String] = [
            "food_processing": "FoodProcessing", "electronics_assembly": "ElectronicsAssembly",
            "overseas_plant": "OverseasPlant",
        ]
        let (begin, end) = (
            "<!-- legal-limits:begin (generated from the module's legalLimits) -->", "<!-- legal-limits:end -->"
        )
        for (id, type) in try BuiltinModules.registry().modules where !type.legalLimits.rows.isEmpty {
            let file = plugins.appendingPathComponent("\(try #require(folders[id]))/README.md")
            var readme = try String(contentsOf: file, encoding: .utf8)
            let expected = begin + "\n" + type.legalLimits.markdown + end
            guard let start = readme.range(of: begin), let stop = readme.range(of: end) else {
                Issue.record("\(file.path) has no table of legal limits between \(begin) and \(end)")
                continue
            }
            let current = String(readme[start.lowerBound..<stop.upperBound])
            if current != expected, ProcessInfo.processInfo.environment["TAKT_UPDATE_GOLDEN"] == "1" {
                readme.replaceSubrange(start.lowerBound..<stop.upperBound, with: expected)
                try readme.write(to: file, atomically: true, encoding: .utf8)
                continue
            }
            #expect(current == expected, "\(file.path): its table of legal limits differs from \(id)'s legalLimits")
        }
    }

    @Test func everyModuleFolderHasItsReadmeAndASampleThatLoads() throws {
        let plugins = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Plugins")
        for folder in ["FoodProcessing", "ElectronicsAssembly", "OverseasPlant"] {
            let readme = try String(contentsOf: plugins.appendingPathComponent("\(folder)/README.md"), encoding: .utf8)
            for heading in ["## What it checks", "## Configuration", "## Rules it registers", "## References"] {
                #expect(readme.contains(heading), "\(folder)/README.md lacks \(heading)")
            }
            let sample = plugins.appendingPathComponent("\(folder)/sample.yaml").path
            let definition = try SiteLoader(registry: try BuiltinModules.registry()).load(path: sample)
            #expect(!definition.site.modules.isEmpty)
        }
    }
}
