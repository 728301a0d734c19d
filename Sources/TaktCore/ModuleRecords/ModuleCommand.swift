import Foundation

/// A command-line command a module contributes (`takt reels …`), described in TaktCore terms because modules
/// do not import the argument parser. The `takt` tool turns each into a subcommand with `--site`, `--data-dir`
/// and `--json`, parses its arguments, opens the site and calls `run`.
public struct ModuleCommand: Sendable {
    /// One argument: an option (`--id R1`), a flag (`--all`) or a positional value.
    public struct Argument: Hashable, Sendable {
        public enum Form: Hashable, Sendable {
            case option, flag, positional
        }
        public let name: String
        public let form: Form
        public let help: String
        public let required: Bool
        /// The values it accepts, when it is one of a list (`open`, `store`, …).
        public let choices: [String]

        public static func option(_ name: String, help: String, required: Bool = false, choices: [String] = [])
            -> Argument
        {
            Argument(name: name, form: .option, help: help, required: required, choices: choices)
        }

        public static func flag(_ name: String, help: String) -> Argument {
            Argument(name: name, form: .flag, help: help, required: false, choices: [])
        }

        public static func positional(_ name: String, help: String, choices: [String] = []) -> Argument {
            Argument(name: name, form: .positional, help: help, required: true, choices: choices)
        }
    }

    public let name: String
    public let abstract: String
    public let arguments: [Argument]
    public let subcommands: [ModuleCommand]
    /// The subcommand run when none is named.
    public let defaultSubcommand: String?
    let body: (@Sendable (CommandInput, any ModuleSite) throws -> CommandOutput)?

    /// A command that runs `body` with its parsed arguments at the site.
    public init(
        _ name: String, abstract: String, arguments: [Argument] = [],
        run body: @escaping @Sendable (CommandInput, any ModuleSite) throws -> CommandOutput
    ) {
        self.name = name
        self.abstract = abstract
        self.arguments = arguments
        self.subcommands = []
        self.defaultSubcommand = nil
        self.body = body
    }

    /// A group of subcommands (`takt reels list|add|record`).
    public init(_ name: String, abstract: String, subcommands: [ModuleCommand], defaultSubcommand: String? = nil) {
        self.name = name
        self.abstract = abstract
        self.arguments = []
        self.subcommands = subcommands
        self.defaultSubcommand = defaultSubcommand
        self.body = nil
    }

    /// Runs the command; a group runs nothing.
    public func run(_ input: CommandInput, at site: any ModuleSite) throws -> CommandOutput {
        guard let body else { throw CoreError.invalidArgument(name: name, message: "name a subcommand") }
        return try body(input, site)
    }
}

/// A module command's parsed arguments, with helpers that turn text into values and name the argument in every
/// error.
public struct CommandInput: Sendable {
    public let values: [String: String]
    public let flags: Set<String>
    /// The site's time zone, for times given without one.
    public let timeZone: TimeZone
    /// The names of positional arguments, so errors call them `<name>` rather than `--name`.
    public let positionals: Set<String>
    /// The language of whoever runs the command: a module may answer in it (`takt` is English; the site app
    /// passes the person's language).
    public let locale: SiteLocale

    public init(
        values: [String: String], flags: Set<String> = [], timeZone: TimeZone, positionals: Set<String> = [],
        locale: SiteLocale = .english
    ) {
        self.values = values
        self.flags = flags
        self.timeZone = timeZone
        self.positionals = positionals
        self.locale = locale
    }

    /// `name` as the user typed it: `--id` or `<event>`.
    public func label(_ name: String) -> String { positionals.contains(name) ? "<\(name)>" : "--\(name)" }

    /// The value of `name`, or nil when it was not given.
    public func string(_ name: String) -> String? { values[name] }

    /// The value of `name`; throws when it is missing.
    public func required(_ name: String) throws(CoreError) -> String {
        guard let value = values[name], !value.isEmpty else {
            throw .invalidArgument(name: label(name), message: "is required")
        }
        return value
    }

    public func flag(_ name: String) -> Bool { flags.contains(name) }

    /// A site-local time (`2026-11-25T14:30`, or ISO 8601 with a zone); `fallback` when not given.
    public func instant(_ name: String, fallback: Date) throws(CoreError) -> Date {
        guard let text = values[name] else { return fallback }
        guard let date = Instant.parse(text, in: timeZone) else {
            throw .invalidArgument(
                name: label(name), message: "'\(text)' is not a date and time (use 2026-11-25T14:30)")
        }
        return date
    }

    /// A duration (`30m`, `6h`, `1h30m`); nil when not given.
    public func duration(_ name: String) throws(CoreError) -> TimeSpan? {
        guard let text = values[name] else { return nil }
        guard let span = TimeSpan(parsing: text) else {
            throw .invalidArgument(name: label(name), message: "'\(text)' is not a duration (use 30m, 6h or 1h30m)")
        }
        return span
    }

    /// A finite number (`125`, `0.5`, `1.2e6`); nil when not given.
    public func number(_ name: String) throws(CoreError) -> Double? {
        guard let text = values[name] else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw .invalidArgument(name: label(name), message: "'\(text)' is not a number")
        }
        return value
    }

    /// A whole number (`2`); nil when not given.
    public func integer(_ name: String) throws(CoreError) -> Int? {
        guard let text = values[name] else { return nil }
        guard let value = Int(text) else {
            throw .invalidArgument(name: label(name), message: "'\(text)' is not a whole number")
        }
        return value
    }

    /// A site-local date (`2026-11-25`); nil when not given.
    public func date(_ name: String) throws(CoreError) -> LocalDate? {
        guard let text = values[name] else { return nil }
        guard let day = LocalDate(parsing: text) else {
            throw .invalidArgument(name: label(name), message: "'\(text)' is not a date (use 2026-11-25)")
        }
        return day
    }

    /// One of `type`'s raw values.
    public func choice<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type) throws(CoreError) -> T
    where T.RawValue == String {
        let text = try required(name)
        guard let value = T(rawValue: text) else {
            throw .invalidArgument(
                name: name, message: "'\(text)' is not one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }
}

/// What a module command prints: JSON for `--json`, lines of text otherwise.
public struct CommandOutput: Sendable {
    public let json: @Sendable () throws -> Data
    public let lines: [String]

    public init(json value: some Encodable & Sendable, lines: [String]) {
        self.json = {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            return try encoder.encode(value)
        }
        self.lines = lines
    }
}
