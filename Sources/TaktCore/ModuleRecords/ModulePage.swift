/// A text a module shows people, in each language of the site app; English when a language is missing.
public struct ModuleText: Hashable, Sendable {
    public let texts: [SiteLocale: String]

    public init(_ english: String, es spanish: String? = nil, ms malay: String? = nil) {
        var texts: [SiteLocale: String] = [.english: english]
        texts[.spanish] = spanish
        texts[.malay] = malay
        self.texts = texts
    }

    public func text(_ locale: SiteLocale) -> String { texts[locale] ?? texts[.english] ?? "" }
}

/// A page a module adds to the site app (the reels of an electronics site), built from its commands so the
/// page and `takt` do the same thing: `view` runs when the page opens (its lines are shown, its arguments
/// become a search form, such as a scanned reel id), and each of `actions` becomes a form whose fields are the
/// command's arguments. The person signed in is passed as `by` to a command that takes one.
public struct ModulePage: Sendable {
    /// The page's address under `/modules/`: `reels`.
    public let id: String
    public let title: ModuleText
    public let view: ModuleCommand
    public let actions: [ModuleCommand]
    /// Labels of the commands' arguments and of the actions, per language (`id` → "Reel", "Gulungan").
    public let labels: [String: ModuleText]

    public init(
        id: String, title: ModuleText, view: ModuleCommand, actions: [ModuleCommand] = [],
        labels: [String: ModuleText] = [:]
    ) {
        self.id = id
        self.title = title
        self.view = view
        self.actions = actions
        self.labels = labels
    }

    /// The label of an argument or action `name` in `locale`; the name itself when the module gave none.
    public func label(_ name: String, _ locale: SiteLocale) -> String { labels[name]?.text(locale) ?? name }
}
