/// Splits a command line from the config file into words the way a POSIX shell would, without
/// running a shell: a configured command is then never open to expansion or injection, yet
/// paths with spaces can be quoted.
///
/// Words are separated by unquoted blanks. `'…'` keeps everything literally; `"…"` keeps
/// everything but lets `\` escape `"`, `\`, `$` and `` ` ``; elsewhere `\` escapes any character.
/// No variables, globs or other shell syntax are interpreted.
enum ShellWords {
    /// The words of `line`, or nil when a quote is left open or the line ends in a lone `\`.
    static func split(_ line: String) -> [String]? {
        var words: [String] = []
        var word = ""
        // Whether a word has begun: `''` is an empty word, not nothing.
        var inWord = false
        var characters = line.makeIterator()
        while let character = characters.next() {
            switch character {
            case " ", "\t":
                if inWord { words.append(word) }
                word = ""
                inWord = false
            case "'":
                guard let quoted = singleQuoted(&characters) else { return nil }
                word += quoted
                inWord = true
            case "\"":
                guard let quoted = doubleQuoted(&characters) else { return nil }
                word += quoted
                inWord = true
            case "\\":
                guard let escaped = characters.next() else { return nil }
                word.append(escaped)
                inWord = true
            default:
                word.append(character)
                inWord = true
            }
        }
        if inWord { words.append(word) }
        return words
    }

    /// The text up to the closing `'`, or nil when there is none.
    private static func singleQuoted(_ characters: inout String.Iterator) -> String? {
        var text = ""
        while let character = characters.next() {
            if character == "'" { return text }
            text.append(character)
        }
        return nil
    }

    /// The text up to the closing `"` with its escapes undone, or nil when there is none.
    private static func doubleQuoted(_ characters: inout String.Iterator) -> String? {
        var text = ""
        while let character = characters.next() {
            switch character {
            case "\"": return text
            case "\\":
                guard let next = characters.next() else { return nil }
                if !"\"\\$`".contains(next) { text.append("\\") }
                text.append(next)
            default: text.append(character)
            }
        }
        return nil
    }
}
