import Foundation

/// Display columns of text as a terminal lays it out (East Asian width): Hangul, CJK and most
/// emoji take 2 columns, combining marks and zero-width characters 0, everything else 1
/// (ambiguous-width characters such as "…", "↑" and box drawing are narrow, as in a UTF-8
/// locale outside East Asia and as tmux draws them).
///
/// The end-to-end tests measure the screens tmux captures with it: a capture keeps one character
/// per wide cell, so string indices and screen columns differ as soon as Hangul appears.
enum TerminalText {
    /// The columns `scalar` takes.
    static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value == 0 { return 0 }
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
        if scalar.properties.generalCategory == .nonspacingMark || scalar.properties.generalCategory == .enclosingMark
            || scalar.properties.generalCategory == .format || (0x1160...0x11FF).contains(value) { // medial/final jamo
            return 0
        }
        return wideRanges.contains { $0.contains(value) } ? 2 : 1
    }

    /// The columns `text` takes.
    static func width(_ text: some StringProtocol) -> Int {
        text.unicodeScalars.reduce(0) { $0 + width(of: $1) }
    }

    /// Wide (W) and fullwidth (F) ranges of Unicode's East Asian Width.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
        0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
        0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
        0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x16FE0...0x16FE4, 0x17000...0x18AFF, 0x1B000...0x1B2FF, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF,
        0x1F18E...0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F202, 0x1F210...0x1F23B, 0x1F240...0x1F248,
        0x1F250...0x1F251, 0x1F260...0x1F265, 0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C,
        0x1F37E...0x1F393, 0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4...0x1F3F4,
        0x1F3F8...0x1F43E, 0x1F440...0x1F440, 0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E,
        0x1F550...0x1F567, 0x1F57A...0x1F57A, 0x1F595...0x1F596, 0x1F5A4...0x1F5A4, 0x1F5FB...0x1F64F,
        0x1F680...0x1F6C5, 0x1F6CC...0x1F6CC, 0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6EB...0x1F6EC,
        0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB, 0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF,
        0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}

/// One captured screen line as cells: `cells[c]` is the character that starts at column `c`, or
/// "" for the right half of a wide character. Blank past the end of the captured text.
struct ScreenLine: CustomStringConvertible {
    let text: String
    let cells: [String]

    init(_ text: String) {
        self.text = text
        var cells: [String] = []
        for character in text {
            let width = TerminalText.width(String(character))
            if width == 0, !cells.isEmpty {
                cells[cells.count - 1] += String(character)
                continue
            }
            cells.append(String(character))
            if width == 2 { cells.append("") }
        }
        self.cells = cells
    }

    /// Display columns up to the last character.
    var width: Int { cells.count }

    var description: String { text }

    /// The character starting at `column` ("" inside a wide character, " " past the end).
    subscript(column: Int) -> String {
        column >= 0 && column < cells.count ? cells[column] : " "
    }

    /// The text shown in `columns` (a wide character cut by either end is dropped).
    func text(_ columns: Range<Int>) -> String {
        var result = ""
        for column in columns {
            let cell = self[column]
            if cell.isEmpty { continue }
            if TerminalText.width(cell) == 2 && column == columns.upperBound - 1 { break }
            result += cell
        }
        return result
    }

    /// The column where `needle` first starts at or after column `from`, or nil.
    func column(of needle: String, from: Int = 0) -> Int? {
        guard from <= cells.count else { return nil }
        var column = from
        while column < cells.count {
            if !cells[column].isEmpty, text(column..<cells.count).hasPrefix(needle) { return column }
            column += 1
        }
        return nil
    }

    /// Whether a wide character sits across `column` and the one before (so `column` is its right half).
    func isInsideWideCharacter(_ column: Int) -> Bool {
        column > 0 && column < cells.count && cells[column].isEmpty
    }
}

/// A captured screen: its lines as tmux printed them (rows past the last non-blank one may be
/// missing; they read as blank).
struct Screen: CustomStringConvertible {
    let lines: [ScreenLine]
    let raw: String

    init(_ capture: String) {
        raw = capture
        var texts = capture.components(separatedBy: "\n")
        if texts.last == "" { texts.removeLast() }
        lines = texts.map(ScreenLine.init)
    }

    var description: String { raw }

    subscript(row: Int) -> ScreenLine { row >= 0 && row < lines.count ? lines[row] : ScreenLine("") }

    /// The first row containing `text`, or nil.
    func row(containing text: String) -> Int? {
        lines.firstIndex { $0.text.contains(text) }
    }
}
