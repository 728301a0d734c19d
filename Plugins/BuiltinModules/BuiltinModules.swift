import ElectronicsAssembly
import FoodProcessing
import OverseasPlant
import TaktCore

/// The one list of site modules built into the host. A site's `site.yaml` names which of them it loads.
///
/// To add a module: create its target under `Plugins/`, make this target depend on it, and list its type here.
public enum BuiltinModules {
    /// Every built-in module type.
    public static let all: [any SiteModule.Type] = [
        FoodProcessing.self, ElectronicsAssembly.self, OverseasPlant.self,
    ]

    /// The registry of built-in modules; building it checks that no two share an id.
    public static func registry() throws(CoreError) -> ModuleRegistry {
        try ModuleRegistry(all)
    }
}
