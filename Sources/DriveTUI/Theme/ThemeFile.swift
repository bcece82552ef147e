import ScreenKit

/// The text format of a theme: one role per line (LF or CRLF endings); `#` at the start of a
/// line or after a space starts a comment.
///
/// ```
/// # role = [fg:COLOUR] [bg:COLOUR] [bold] [dim] [underline] [reverse] [italic]
/// row-selected = fg:16 bg:39 bold
/// row          = default
/// ```
/// A colour is `default`, a name (`black` … `white`, `bright-black` … `bright-white`), a
/// palette index 0–255, or `#rrggbb` (mapped to the nearest colour of the 6×6×6 cube).
/// Pure.
public enum ThemeFile {
    /// Why a theme file could not be read: the line (1-based) and what is wrong with it.
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        /// 1-based line number.
        public var line: Int
        /// What is wrong.
        public var reason: String

        /// "line 3: unknown role 'rows'".
        public var description: String { "line \(line): \(reason)" }
    }

    /// Parses theme text into a theme called `name`.
    public static func parse(_ text: String, name: String) throws(ParseError) -> Theme {
        var theme = Theme(name: name, styles: [:])
        // "\r\n" is one Character: a file with CRLF endings would otherwise be a single line.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (index, raw) in lines.enumerated() {
            let line = withoutComment(raw)
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else {
                throw ParseError(line: index + 1, reason: "expected 'role = style'")
            }
            let roleName = parts[0].trimmingCharacters(in: .whitespaces)
            guard let role = ThemeRole(rawValue: roleName) else {
                throw ParseError(line: index + 1, reason: "unknown role '\(roleName)'")
            }
            do {
                theme.styles[role] = try style(parts[1])
            } catch let reason {
                throw ParseError(line: index + 1, reason: reason.text)
            }
        }
        return theme
    }

    /// The line up to a `#` that starts it or follows a space (`bg:#102030` is a colour).
    private static func withoutComment(_ line: Substring) -> Substring {
        var previous: Character = " "
        for index in line.indices {
            if line[index] == "#" && previous.isWhitespace { return line[..<index] }
            previous = line[index]
        }
        return line
    }

    private struct Reason: Error {
        var text: String
    }

    private static func style(_ text: Substring) throws(Reason) -> Style {
        var style = Style()
        for token in text.split(whereSeparator: \.isWhitespace) {
            if token == "default" {
                continue  // the terminal's own colours, no attributes
            } else if token.hasPrefix("fg:") {
                style.foreground = try color(token.dropFirst(3))
            } else if token.hasPrefix("bg:") {
                style.background = try color(token.dropFirst(3))
            } else if let attribute = Attributes.named.first(where: { $0.name == token })?.attribute {
                style.attributes.insert(attribute)
            } else {
                throw Reason(text: "unknown style word '\(token)'")
            }
        }
        return style
    }

    private static func color(_ token: Substring) throws(Reason) -> Color {
        if token == "default" { return .default }
        if let index = colorNames.firstIndex(of: String(token)) { return .indexed(UInt8(index)) }
        if let index = UInt8(token) { return .indexed(index) }
        if token.hasPrefix("#"), token.count == 7, let rgb = UInt32(token.dropFirst(), radix: 16) {
            return .rgb(UInt8(rgb >> 16 & 0xFF), UInt8(rgb >> 8 & 0xFF), UInt8(rgb & 0xFF))
        }
        throw Reason(text: "unknown colour '\(token)' (use default, a name, 0–255 or #rrggbb)")
    }

    /// Palette names by index: the 8 basic colours, then their bright variants.
    static let colorNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow",
        "bright-blue", "bright-magenta", "bright-cyan", "bright-white",
    ]
}
