/// A command typed after `:` — the CLI's verbs, with the same arguments. Value type, Sendable.
public enum DriveCommand: Equatable, Sendable {
    /// `put LOCAL [DEST]`: add a local file or folder.
    case put(local: String, destination: String?)
    /// `get PATH [LOCAL] [--version N] [--force]`: download (a version; replacing what is there).
    case get(path: String, local: String?, version: Int? = nil, force: Bool = false)
    /// `mkdir [-p] PATH`: make a folder (with `-p`, missing parents too).
    case makeFolder(String, parents: Bool = false)
    /// `mv SOURCE DEST`: rename or move.
    case move(String, String)
    /// `rm PATH`: move to the trash.
    case remove(String)
    /// `restore PATH --version N` (or `restore PATH N`): make an old version the new head.
    case restore(String, version: Int)
    /// `cd PATH`: show a folder.
    case changeFolder(String)
    /// `q`, `quit`: leave.
    case quit

    /// The verbs, for messages.
    public static let verbs = "put, get, mkdir, mv, rm, restore, cd, quit"

    /// Parses a command line; words may be quoted with '…' or "…", or escaped with \.
    /// Drive paths stay as typed (relative ones are taken from the folder shown).
    public static func parse(_ text: String) -> Result<DriveCommand, CommandLineError> {
        let words: [String]
        switch split(text) {
        case .success(let result): words = result
        case .failure(let error): return .failure(error)
        }
        guard let verb = words.first else { return .failure(CommandLineError("type a command: \(verbs)")) }
        guard ["put", "get", "mkdir", "mv", "rm", "restore", "cd", "q", "quit"].contains(verb) else {
            return .failure(CommandLineError("unknown command '\(verb)' (\(verbs))"))
        }
        // The CLI's options for each verb; `--` ends them, so a name may start with a dash.
        let flags: Set<String> = switch verb {
        case "get": ["--force"]
        case "mkdir": ["-p", "--parents"]
        default: []
        }
        let takesVersion = verb == "get" || verb == "restore"
        var arguments: [String] = []
        var given: Set<String> = []
        var version: Int?
        var rest = words.dropFirst()[...]
        while let word = rest.popFirst() {
            if word == "--" {
                arguments += rest
                break
            } else if flags.contains(word) {
                given.insert(word)
            } else if takesVersion && (word == "--version" || word.hasPrefix("--version=")) {
                let value = word == "--version" ? rest.popFirst() : String(word.dropFirst("--version=".count))
                guard let value else { return .failure(CommandLineError("--version needs a version number")) }
                guard let number = versionNumber(value) else {
                    return .failure(CommandLineError("'\(value)' is not a version number"))
                }
                version = number
            } else if word.hasPrefix("-") && word.count > 1 {
                return .failure(CommandLineError("\(verb) has no option '\(word)'"))
            } else {
                arguments.append(word)
            }
        }
        func arity(_ range: ClosedRange<Int>, _ usage: String) -> CommandLineError? {
            if range.contains(arguments.count) { return nil }
            // Too many words: most likely a name with spaces.
            let hint = arguments.count > range.upperBound ? " (quote a name with spaces: \"my file.txt\")" : ""
            return CommandLineError("usage: \(usage)\(hint)")
        }
        switch verb {
        case "put":
            if let error = arity(1...2, "put LOCAL [DEST]") { return .failure(error) }
            return .success(.put(local: arguments[0], destination: arguments.count > 1 ? arguments[1] : nil))
        case "get":
            if let error = arity(1...2, "get PATH [LOCAL] [--version N] [--force]") { return .failure(error) }
            return .success(.get(path: arguments[0], local: arguments.count > 1 ? arguments[1] : nil,
                                 version: version, force: given.contains("--force")))
        case "mkdir":
            if let error = arity(1...1, "mkdir [-p] PATH") { return .failure(error) }
            return .success(.makeFolder(arguments[0], parents: !given.isEmpty))
        case "mv":
            if let error = arity(2...2, "mv SOURCE DEST") { return .failure(error) }
            return .success(.move(arguments[0], arguments[1]))
        case "rm":
            if let error = arity(1...1, "rm PATH") { return .failure(error) }
            return .success(.remove(arguments[0]))
        case "restore":
            let usage = "restore PATH --version N"
            if version == nil, arguments.count == 2 {
                // The version may also follow the path as a plain word: `restore a.txt 2` or `v2`.
                let word = arguments.removeLast()
                guard let number = versionNumber(word) else { return .failure(CommandLineError("'\(word)' is not a version number")) }
                version = number
            }
            if let error = arity(1...1, usage) { return .failure(error) }
            guard let version else { return .failure(CommandLineError("usage: \(usage)")) }
            return .success(.restore(arguments[0], version: version))
        case "cd":
            if let error = arity(0...1, "cd [PATH]") { return .failure(error) }
            return .success(.changeFolder(arguments.first ?? "/"))
        case "q", "quit":
            return .success(.quit)
        default:
            return .failure(CommandLineError("unknown command '\(verb)' (\(verbs))"))
        }
    }

    /// A version number as typed: `2` or `v2`; `nil` unless positive.
    private static func versionNumber(_ word: String) -> Int? {
        guard let number = Int(word.hasPrefix("v") ? String(word.dropFirst()) : word), number > 0 else { return nil }
        return number
    }

    /// Splits a line into words as a shell would, without expansions. Works on Unicode scalars,
    /// as a shell works on bytes: a quote, backslash or space followed by a combining mark still
    /// quotes, escapes or separates (as grapheme clusters they would be one other character).
    public static func split(_ text: String) -> Result<[String], CommandLineError> {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        var inWord = false
        var quote: Unicode.Scalar?
        var escaped = false
        for scalar in text.unicodeScalars {
            if escaped {
                current.append(scalar)
                escaped = false
            } else if scalar == "\\" && quote != "'" {
                escaped = true
                inWord = true
            } else if let open = quote {
                if scalar == open { quote = nil } else { current.append(scalar) }
            } else if scalar == "'" || scalar == "\"" {
                quote = scalar
                inWord = true
            } else if scalar == " " || scalar == "\t" {
                if inWord { words.append(String(current)) }
                current = String.UnicodeScalarView()
                inWord = false
            } else {
                current.append(scalar)
                inWord = true
            }
        }
        if quote != nil { return .failure(CommandLineError("a quote is not closed")) }
        if inWord { words.append(String(current)) }
        return .success(words)
    }
}

/// Why a command line could not be understood: one line. Value type, Sendable.
public struct CommandLineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The explanation.
    public var description: String

    /// Creates an error.
    public init(_ description: String) {
        self.description = description
    }
}
