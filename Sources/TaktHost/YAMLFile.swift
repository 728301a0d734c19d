import Foundation
import Yams

/// Strict YAML decoding for other configuration files than `site.yaml` (such as `central.yaml`), with the same
/// rules: unknown keys and wrong types are problems located by line and key path.
public enum YAMLFile {
    public static func load<T: Codable>(_ type: T.Type, path: String) throws(HostError) -> T {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .cannotRead(path: path, reason: "no such file or not readable")
        }
        let node = try StrictYAML.compose(text, file: path)
        let (value, unknown) = try StrictYAML.decode(T.self, from: node, file: path)
        guard unknown.isEmpty else { throw .invalidSite(unknown) }
        return value
    }
}
