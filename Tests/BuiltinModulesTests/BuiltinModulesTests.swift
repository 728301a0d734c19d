import Testing

@testable import BuiltinModules
@testable import TaktCore

@Suite struct BuiltinModulesTests {
    @Test func theBuiltInListHasUniqueIDs() throws {
        let registry = try BuiltinModules.registry()
        #expect(registry.ids.count == BuiltinModules.all.count)
    }
}
