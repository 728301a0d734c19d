import Foundation
import TaktCore
import TaktHost

/// Runs the commands modules contribute (`takt reels …`): finds the command the arguments name, parses its
/// options as the module described them, opens the site and prints the result as text or `--json`.
///
/// Every module command takes `--site`, `--data-dir` and `--json` like the built-in ones, and `--help`.
struct ModuleCommandLine {
    let module: ModuleID
    /// The command and its subcommands named so far: `[reels, record]`.
    let path: [ModuleCommand]
    let rest: [String]

    var command: ModuleCommand { path[path.count - 1] }
    var name: String { (["takt"] + path.map(\.name)).joined(separator: " ") }

    /// The module command `arguments` name, or nil when they name a built-in one.
    static func match(_ arguments: [String], in registry: ModuleRegistry) -> ModuleCommandLine? {
        guard let first = arguments.first,
            let (module, top) = registry.commands.first(where: { $0.command.name == first })
        else { return nil }
        var path = [top]
        var rest = Array(arguments.dropFirst())
        while let group = path.last, !group.subcommands.isEmpty {
            if let next = rest.first, let sub = group.subcommands.first(where: { $0.name == next }) {
                path.append(sub)
                rest.removeFirst()
            } else if let fallback = group.defaultSubcommand,
                let sub = group.subcommands.first(where: { $0.name == fallback }),
                !(rest.first.map { $0 == "--help" || $0 == "-h" } ?? false)
            {
                path.append(sub)
            } else {
                break
            }
        }
        return ModuleCommandLine(module: module, path: path, rest: rest)
    }

    /// What `arguments` asked for, once parsed.
    struct Parsed {
        var values: [String: String] = [:]
        var flags: Set<String> = []
        var site: String?
        var dataDirectory = ProcessInfo.processInfo.environment["TAKT_DATA_DIR"] ?? "data"
        var json = false
        var help = false
    }

    func parse() throws(CoreError) -> Parsed {
        var parsed = Parsed()
        let declared = command.arguments
        var positionals = declared.filter { $0.form == .positional }
        var index = rest.startIndex
        func value(for name: String, inline: String?) throws(CoreError) -> String {
            if let inline { return inline }
            index += 1
            guard index < rest.endIndex, !rest[index].hasPrefix("--") else {
                throw .invalidArgument(name: "--\(name)", message: "needs a value")
            }
            return rest[index]
        }
        while index < rest.endIndex {
            let word = rest[index]
            if word == "--help" || word == "-h" {
                parsed.help = true
            } else if word.hasPrefix("--") {
                let body = word.dropFirst(2)
                let name = String(body.prefix { $0 != "=" })
                let inline = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
                switch name {
                case "json": parsed.json = true
                case "site": parsed.site = try value(for: name, inline: inline)
                case "data-dir": parsed.dataDirectory = try value(for: name, inline: inline)
                default:
                    guard let argument = declared.first(where: { $0.name == name && $0.form != .positional }) else {
                        let known =
                            declared.filter { $0.form != .positional }.map { "--\($0.name)" }
                            + ["--site", "--data-dir", "--json"]
                        throw .invalidArgument(
                            name: word,
                            message: "\(self.name) has no such option (it takes \(known.joined(separator: ", ")))")
                    }
                    if argument.form == .flag {
                        parsed.flags.insert(name)
                    } else {
                        guard parsed.values[name] == nil else {
                            throw .invalidArgument(name: "--\(name)", message: "is given twice")
                        }
                        parsed.values[name] = try value(for: name, inline: inline)
                    }
                }
            } else if !positionals.isEmpty {
                parsed.values[positionals.removeFirst().name] = word
            } else if command.subcommands.isEmpty {
                throw .invalidArgument(name: word, message: "\(name) takes no more arguments")
            } else {
                throw .invalidArgument(
                    name: word,
                    message:
                        "\(name) has no subcommand '\(word)' (it has \(command.subcommands.map(\.name).joined(separator: ", ")))"
                )
            }
            index += 1
        }
        guard !parsed.help else { return parsed }
        if !command.subcommands.isEmpty {
            throw .invalidArgument(
                name: name, message: "name a subcommand: \(command.subcommands.map(\.name).joined(separator: ", "))")
        }
        for argument in declared {
            let label = argument.form == .positional ? "<\(argument.name)>" : "--\(argument.name)"
            guard let given = parsed.values[argument.name] else {
                if argument.required { throw .invalidArgument(name: label, message: "is required") }
                continue
            }
            if !argument.choices.isEmpty, !argument.choices.contains(given) {
                throw .invalidArgument(
                    name: label, message: "'\(given)' is not one of \(argument.choices.joined(separator: ", "))")
            }
        }
        if parsed.site == nil { throw .invalidArgument(name: "--site", message: "is required (the site folder)") }
        return parsed
    }

    /// Usage text for `--help`.
    var usage: String {
        var lines = ["OVERVIEW: \(command.abstract) (from module \(module))", ""]
        if !command.subcommands.isEmpty {
            lines.append("USAGE: \(name) <subcommand>")
            lines.append("")
            lines.append("SUBCOMMANDS:")
            for sub in command.subcommands {
                let marker = sub.name == command.defaultSubcommand ? " (default)" : ""
                lines.append("  \(sub.name.padding(toLength: 18, withPad: " ", startingAt: 0))\(sub.abstract)\(marker)")
            }
            return lines.joined(separator: "\n")
        }
        let positional = command.arguments.filter { $0.form == .positional }.map { "<\($0.name)>" }
        lines.append("USAGE: \(([name] + positional + ["--site <site>", "[<options>]"]).joined(separator: " "))")
        lines.append("")
        lines.append("ARGUMENTS AND OPTIONS:")
        for argument in command.arguments {
            let label: String
            switch argument.form {
            case .positional: label = "<\(argument.name)>"
            case .option: label = "--\(argument.name) <value>"
            case .flag: label = "--\(argument.name)"
            }
            let choices = argument.choices.isEmpty ? "" : " (\(argument.choices.joined(separator: ", ")))"
            let required = argument.required && argument.form != .positional ? " Required." : ""
            lines.append(
                "  \(label.padding(toLength: 28, withPad: " ", startingAt: 0))\(argument.help)\(choices)\(required)")
        }
        lines.append("  --site <site>               The site folder holding site.yaml, or the file itself.")
        lines.append("  --data-dir <data-dir>       Where site databases live; default $TAKT_DATA_DIR or data.")
        lines.append("  --json                      Print JSON instead of text.")
        return lines.joined(separator: "\n")
    }

    /// Runs the command; returns the exit code (0, 1 for a runtime failure, 2 for bad input).
    func run(registry: ModuleRegistry) -> Int32 {
        do {
            let parsed = try parse()
            if parsed.help {
                print(usage)
                return 0
            }
            let host = try SiteHost.open(
                path: parsed.site ?? "", dataDirectory: parsed.dataDirectory, registry: registry)
            guard host.definition.site.modules.contains(module) else {
                throw CoreError.invalidInput(
                    "\(name) comes from module \(module), which \(host.definition.site.id) does not load "
                        + "(add it under modules: in site.yaml)")
            }
            let input = CommandInput(
                values: parsed.values, flags: parsed.flags, timeZone: host.definition.timeZone,
                positionals: Set(command.arguments.filter { $0.form == .positional }.map(\.name)))
            let output = try command.run(input, at: host)
            if parsed.json {
                print(String(decoding: try output.json(), as: UTF8.self))
            } else {
                for line in output.lines { print(line) }
            }
            return 0
        } catch let error as CoreError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            return 2
        } catch let error as HostError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            return error.isBadInput ? 2 : 1
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            return 1
        }
    }
}
