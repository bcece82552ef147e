@testable import DriveTUI
import Foundation
import ScreenKit
import Testing

/// Theme files, the built-in themes, the config file and NO_COLOR.
@Suite struct ThemeTests {
    static let themesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("themes")

    @Test(arguments: BuiltinThemes.names)
    func builtInThemesEqualTheFilesInThemes(name: String) throws {
        let file = try String(contentsOf: Self.themesFolder.appendingPathComponent("\(name).theme"), encoding: .utf8)
        #expect(file == BuiltinThemes.text(named: name)! + "\n", "themes/\(name).theme and BuiltinThemes differ")
        let theme = try ThemeFile.parse(file, name: name)
        for role in ThemeRole.allCases {
            #expect(theme.styles[role] != nil, "\(name) does not set \(role.rawValue)")
        }
    }

    @Test func parsesColoursAndAttributes() throws {
        let theme = try ThemeFile.parse("""
            # a comment
            row = fg:red bg:#ff0000 bold underline   # trailing comment
            folder = fg:bright-blue
            muted = fg:244 dim
            header = default
            """, name: "t")
        #expect(theme[.row] == Style(foreground: .red, background: .indexed(196), attributes: [.bold, .underline]))
        #expect(theme[.folder].foreground == .indexed(12))
        #expect(theme[.muted] == Style(foreground: .indexed(244), attributes: .dim))
        #expect(theme[.header] == .plain)
        #expect(theme[.error] == .plain)
    }

    @Test func badLinesAreReportedWithTheirNumber() {
        #expect(throws: ThemeFile.ParseError(line: 2, reason: "unknown role 'rows'")) {
            try ThemeFile.parse("row = bold\nrows = bold", name: "t")
        }
        #expect(throws: ThemeFile.ParseError(line: 1, reason: "unknown colour 'purple' (use default, a name, 0–255 or #rrggbb)")) {
            try ThemeFile.parse("row = fg:purple", name: "t")
        }
        #expect(throws: ThemeFile.ParseError.self) { try ThemeFile.parse("row bold", name: "t") }
    }

    /// Found by the theme-file fuzz harness: "\r\n" is one Character, so a theme saved with CRLF
    /// endings was one line — here one comment, so the theme silently had no colours at all.
    @Test func crlfLineEndingsReadLikeLF() throws {
        let file = try #require(BuiltinThemes.text(named: "dark"))
        let crlf = try ThemeFile.parse(file.replacingOccurrences(of: "\n", with: "\r\n"), name: "dark")
        #expect(crlf == (try ThemeFile.parse(file, name: "dark")))
        #expect(throws: ThemeFile.ParseError(line: 2, reason: "unknown role 'rows'")) {
            try ThemeFile.parse("row = bold\r\nrows = bold\r\n", name: "t")
        }
    }

    @Test func noColorKeepsAttributesOnly() throws {
        let theme = try ThemeLoader(environment: ["NO_COLOR": "1", "XDG_CONFIG_HOME": "/nonexistent"]).load(requested: "light")
        for role in ThemeRole.allCases {
            #expect(theme[role].foreground == .default && theme[role].background == .default)
        }
        #expect(theme[.rowSelected].attributes.contains(.reverse))
        #expect(theme[.error].attributes.contains(.bold))
        #expect(theme[.rowSelected] != theme[.row])
    }

    @Test func configFileChoosesTheThemeAndTheFlagWins() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-theme-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("cairn/themes"), withIntermediateDirectories: true)
        try "# mine\ntheme = mine\n".write(to: folder.appendingPathComponent("cairn/config"), atomically: true, encoding: .utf8)
        try "row = fg:1\n".write(to: folder.appendingPathComponent("cairn/themes/mine.theme"), atomically: true, encoding: .utf8)
        let loader = ThemeLoader(environment: ["XDG_CONFIG_HOME": folder.path])
        #expect(try loader.load(requested: nil).name == "mine")
        #expect(try loader.load(requested: nil)[.row].foreground == .red)
        #expect(try loader.load(requested: "high-contrast").name == "high-contrast")
        #expect(try ThemeLoader(environment: ["XDG_CONFIG_HOME": "/nonexistent"]).load(requested: nil).name == "dark")
    }

    @Test func anUnknownThemeNamesTheBuiltInOnes() {
        #expect(throws: ThemeLoader.LoadError(name: "neon", reason: "no such theme (built in: dark, light, high-contrast)")) {
            try ThemeLoader(environment: ["XDG_CONFIG_HOME": "/nonexistent"]).load(requested: "neon")
        }
    }
}
