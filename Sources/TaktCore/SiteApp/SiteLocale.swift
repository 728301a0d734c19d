/// A language the site app is written in: every catalogue has every key (a test checks it).
public enum SiteLocale: String, Hashable, Sendable, Codable, CaseIterable {
    case english = "en"
    case spanish = "es"
    case malay = "ms"

    /// The language's own name, for the language menu.
    public var name: String {
        switch self {
        case .english: return "English"
        case .spanish: return "Español"
        case .malay: return "Bahasa Melayu"
        }
    }
}
