import Foundation

/// One published configuration version of a site: the whole document the site installs (a version replaces the
/// one before it), when and by whom.
public struct ConfigVersion: Hashable, Sendable {
    public var version: Int
    public var document: String
    public var publishedAt: Date
    public var publishedBy: String

    public init(version: Int, document: String, publishedAt: Date, publishedBy: String) {
        self.version = version
        self.document = document
        self.publishedAt = publishedAt
        self.publishedBy = publishedBy
    }
}
