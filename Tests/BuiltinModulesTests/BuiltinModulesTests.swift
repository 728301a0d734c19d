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
