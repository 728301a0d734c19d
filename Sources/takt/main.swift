import BuiltinModules
import Foundation
import TaktCLI

// The standard `takt`: the command-line tool with the built-in modules. A company's own build is the same
// three lines with its registry (see docs/writing-a-module.md).
do {
    await Takt.main(registry: try BuiltinModules.registry())
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
