/// Why an extension was refused at load, or why one call failed. Every message names the extension.
public enum ExtensionError: Error, CustomStringConvertible, Sendable {
    /// The file is not a WebAssembly module, or the runtime would not instantiate it.
    case notWebAssembly(extension: String, reason: String)
    /// The module's ABI version is not one this host speaks.
    case wrongABI(extension: String, found: Int, expected: Int)
    /// An export the ABI requires is missing or has the wrong type.
    case missingExport(extension: String, name: String)
    /// The module imports something Takt does not provide.
    case forbiddenImport(extension: String, module: String, name: String)
    /// The module imports a host function Takt provides, with another signature.
    case wrongImport(extension: String, name: String, reason: String)
    /// The manifest the module declares is not valid.
    case badManifest(extension: String, reason: String)
    /// The file's SHA-256 is not the one site.yaml gives.
    case hashMismatch(extension: String, expected: String, found: String)
    /// The module failed one of its own test vectors.
    case failedTest(extension: String, test: Int, reason: String)
    /// A call ran through its instruction budget.
    case outOfFuel(extension: String, budget: UInt64)
    /// A call tried to grow memory past the limit.
    case outOfMemory(extension: String, limitPages: Int)
    /// A call trapped (unreachable, out-of-bounds access, division by zero, a stack overflow).
    case trapped(extension: String, reason: String)
    /// A call returned what the ABI does not allow (too many findings, an unknown message).
    case badResult(extension: String, reason: String)

    public var description: String {
        switch self {
        case .notWebAssembly(let id, let reason): return "extension \(id): not a WebAssembly module (\(reason))"
        case .wrongABI(let id, let found, let expected):
            return "extension \(id): ABI version \(found); this Takt speaks ABI version \(expected)"
        case .missingExport(let id, let name): return "extension \(id): the module does not export \(name)"
        case .forbiddenImport(let id, let module, let name):
            return "extension \(id): imports \(module).\(name), which Takt does not provide (extensions get no WASI "
                + "and no host access beyond takt.*)"
        case .wrongImport(let id, let name, let reason):
            return "extension \(id): imports takt.\(name) with the wrong signature (\(reason)); see docs/extensions.md"
        case .badManifest(let id, let reason): return "extension \(id): its manifest is not valid: \(reason)"
        case .hashMismatch(let id, let expected, let found):
            return "extension \(id): the module's SHA-256 is \(found), not \(expected) as site.yaml says"
        case .failedTest(let id, let test, let reason): return "extension \(id): fails its own test \(test): \(reason)"
        case .outOfFuel(let id, let budget):
            return "extension \(id): ran out of fuel (more than \(budget) instructions in one call)"
        case .outOfMemory(let id, let pages):
            return "extension \(id): tried to grow its memory past \(pages) pages (\(pages * 64) KiB)"
        case .trapped(let id, let reason): return "extension \(id): trapped (\(reason))"
        case .badResult(let id, let reason): return "extension \(id): returned what the ABI does not allow: \(reason)"
        }
    }
}
