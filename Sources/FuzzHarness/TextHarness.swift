import DriveTUI
import Foundation
import ScreenKit

/// Harnesses for the text the user types or writes: theme files and the `:` command line.
/// Input bytes are read as UTF-8, invalid sequences replaced, as the app reads them.
enum TextHarness {
    /// Parses the input as a theme file. A theme parsed must write back to text that parses to
    /// the same styles; an error must name a line of the input.
    static func themeFile(_ input: UnsafeRawBufferPointer) throws(FuzzFailure) {
        let text = String(decoding: input, as: UTF8.self)
        let theme: Theme
        // Line endings do not matter: the same text with CRLF endings gives the same outcome.
        let crlf = text.unicodeScalars.contains("\r") ? nil : Result { () throws(ThemeFile.ParseError) in
            try ThemeFile.parse(text.replacingOccurrences(of: "\n", with: "\r\n"), name: "fuzz")
        }
        do {
            theme = try ThemeFile.parse(text, name: "fuzz")
        } catch {
            let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).count
            try FuzzFailure.check((1...lines).contains(error.line), "error on line \(error.line) of \(lines)")
            try FuzzFailure.check(crlf.map { $0.map(\.styles) == .failure(error) } ?? true, "with CRLF line endings: \(String(describing: crlf)), with LF: \(error)")
            return
        }
        try FuzzFailure.check(crlf.map { $0.map(\.styles) == .success(theme.styles) } ?? true, "with CRLF line endings: \(String(describing: crlf)), with LF: parsed")
        let written = theme.styles.map { role, style in "\(role.rawValue) = \(words(style))" }.joined(separator: "\n")
        do {
            let again = try ThemeFile.parse(written, name: "fuzz")
            try FuzzFailure.check(again.styles == theme.styles, "a theme written back parses to other styles")
        } catch let failure as FuzzFailure {
            throw failure
        } catch {
            throw FuzzFailure("a theme written back does not parse: \(error)")
        }
    }

    private static func words(_ style: Style) -> String {
        func colour(_ color: Color) -> String {
            switch color {
            case .default: "default"
            case .indexed(let index): String(index)
            }
        }
        let attributes = Attributes.named.filter { style.attributes.contains($0.attribute) }.map(\.name)
        return (["fg:" + colour(style.foreground), "bg:" + colour(style.background)] + attributes).joined(separator: " ")
    }

    /// Splits and parses the input as a `:` command line. Words split must quote back to a line
    /// that splits to the same words, and a command depends only on the words.
    static func commandLine(_ input: UnsafeRawBufferPointer) throws(FuzzFailure) {
        let text = String(decoding: input, as: UTF8.self)
        let parsed = DriveCommand.parse(text)
        let words: [String]
        switch DriveCommand.split(text) {
        case .success(let split): words = split
        case .failure(let error):
            try FuzzFailure.check(parsed == .failure(error), "split failed but parse did not fail the same way")
            return
        }
        let quoted = words.map(quote).joined(separator: " ")
        let again = DriveCommand.split(quoted)
        try FuzzFailure.check(again == .success(words), "words \(words) quoted as \(quoted) split to \(again)")
        try FuzzFailure.check(DriveCommand.parse(quoted) == parsed, "the same words parse to another command")
        if case .failure(let error) = parsed {
            try FuzzFailure.check(!error.description.isEmpty, "an empty error message")
        }
    }

    /// A word in single quotes, a quote inside written as `'\''` (scalar by scalar: a search
    /// for "'" would skip a quote that a combining mark follows).
    private static func quote(_ word: String) -> String {
        var quoted = String.UnicodeScalarView("'".unicodeScalars)
        for scalar in word.unicodeScalars {
            if scalar == "'" { quoted.append(contentsOf: "'\\''".unicodeScalars) } else { quoted.append(scalar) }
        }
        quoted.append("'")
        return String(quoted)
    }
}
