import Foundation

/// A signed extension module published to sites: its id and version, the module and signature (base64), who
/// published it and when.
public struct ExtensionReleaseRecord: Hashable, Sendable, Codable {
    public var id: String
    public var version: String
    public var module: String
    public var signature: String
    public var publishedBy: String
    public var publishedAt: Date

    public init(id: String, version: String, module: String, signature: String, publishedBy: String, publishedAt: Date)
    {
        self.id = id
        self.version = version
        self.module = module
        self.signature = signature
        self.publishedBy = publishedBy
        self.publishedAt = publishedAt
    }
}
