/// A command typed after `:` — the CLI's verbs, with the same arguments. Value type, Sendable.
public enum DriveCommand: Equatable, Sendable {
    /// `put LOCAL [DEST]`: add a local file or folder.
    case put(local: String, destination: String?)
    /// `get PATH [LOCAL]`: download.
    case get(path: String, local: String?)
    /// `mkdir PATH`: make a folder.
    case makeFolder(String)
    /// `mv SOURCE DEST`: rename or move.
    case move(String, String)
    /// `rm PATH`: move to the trash.
    case remove(String)
    /// `restore PATH VERSION`: make an old version the new head.
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
        let arguments = Array(words.dropFirst())
        func arity(_ range: ClosedRange<Int>, _ usage: String) -> CommandLineError? {
            range.contains(arguments.count) ? nil : CommandLineError("usage: \(usage)")
        }
        switch verb {
        case "put":
            if let error = arity(1...2, "put LOCAL [DEST]") { return .failure(error) }
            return .success(.put(local: arguments[0], destination: arguments.count > 1 ? arguments[1] : nil))
        case "get":
            if let error = arity(1...2, "get PATH [LOCAL]") { return .failure(error) }
            return .success(.get(path: arguments[0], local: arguments.count > 1 ? arguments[1] : nil))
        case "mkdir":
            if let error = arity(1...1, "mkdir PATH") { return .failure(error) }
            return .success(.makeFolder(arguments[0]))
        case "mv":
            if let error = arity(2...2, "mv SOURCE DEST") { return .failure(error) }
            return .success(.move(arguments[0], arguments[1]))
        case "rm":
            if let error = arity(1...1, "rm PATH") { return .failure(error) }
            return .success(.remove(arguments[0]))
        case "restore":
            if let error = arity(2...2, "restore PATH VERSION") { return .failure(error) }
            guard let number = Int(arguments[1].drop { $0 == "v" }), number > 0 else {
                return .failure(CommandLineError("'\(arguments[1])' is not a version number"))
            }
            return .success(.restore(arguments[0], version: number))
        case "cd":
            if let error = arity(0...1, "cd [PATH]") { return .failure(error) }
            return .success(.changeFolder(arguments.first ?? "/"))
        case "q", "quit":
            return .success(.quit)
        default:
            return .failure(CommandLineError("unknown command '\(verb)' (\(verbs))"))
        }
    }

    /// Splits a line into words as a shell would, without expansions.
    static func split(_ text: String) -> Result<[String], CommandLineError> {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" && quote != "'" {
                escaped = true
                inWord = true
            } else if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character == " " || character == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if quote != nil { return .failure(CommandLineError("a quote is not closed")) }
        if inWord { words.append(current) }
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
