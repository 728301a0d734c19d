import AcmePress
import BuiltinModules
import Foundation
import TaktCLI
import TaktCore

// Acme's own `takt`: every command of the standard tool, with the built-in modules and Acme's own.
do {
    await Takt.main(registry: try ModuleRegistry(BuiltinModules.all + [AcmePress.self]))
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
