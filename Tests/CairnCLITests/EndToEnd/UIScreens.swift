import Foundation

/// What the end-to-end tests know of the full-screen drive's layout, read from a captured screen
/// by display columns:
///
///     row 0        top bar (" Cairn  USER @ STORE …")
///     row 1        tabs ("  1 My Drive   2 Versions …")
///     row 2        ╭─ TITLE ───╮╭─ Details ───╮       (the details pane only when wide enough)
///     rows 3…H-4   │ list      ││ details     │
///     row H-3      ╰───────────╯╰─────────────╯
///     row H-2      status line
///     row H-1      key hints
enum UIFrame {
    static let boxCharacters: Set<Character> = ["│", "╭", "╮", "╰", "╯"]

    /// Everything wrong with `screen` as a whole frame of the browser at `width`×`height`: lines
    /// wider than the terminal, rows past its height, broken borders, bits of border elsewhere.
    /// Empty when the frame is whole.
    static func problems(_ screen: Screen, width: Int, height: Int) -> [String] {
        var problems: [String] = []
        if screen.lines.count > height { problems.append("\(screen.lines.count) rows on a \(height)-row terminal") }
        for (row, line) in screen.lines.enumerated() where line.width > width {
            problems.append("row \(row) is \(line.width) columns wide on a \(width)-column terminal: \(line)")
        }
        if !screen[0].text.hasPrefix(" Cairn ") { problems.append("row 0 is not the top bar: \(screen[0])") }
        if !screen[1].text.contains("1 My Drive") { problems.append("row 1 is not the tab row: \(screen[1])") }
        let top = screen[2], bottom = screen[height - 3]
        if top[0] != "╭" || top[width - 1] != "╮" || top.width != width {
            problems.append("row 2 is not a top border from column 0 to \(width - 1): \(top)")
        }
        if bottom[0] != "╰" || bottom[width - 1] != "╯" || bottom.width != width {
            problems.append("row \(height - 3) is not a bottom border from column 0 to \(width - 1): \(bottom)")
        }
        // Where the panes meet, the top border has "╮╭": every body row has "││" there.
        let joins = (1..<max(1, width - 1)).filter { top[$0] == "╮" && top[$0 + 1] == "╭" }
        for row in 3..<(height - 3) {
            let line = screen[row]
            if line[0] != "│" || line[width - 1] != "│" || line.width != width {
                problems.append("row \(row) is not framed by │ at columns 0 and \(width - 1): \(line)")
            }
            for join in joins where line[join] != "│" || line[join + 1] != "│" {
                problems.append("row \(row) has no pane border at columns \(join)–\(join + 1): \(line)")
            }
            if line.text.contains(where: { "╭╮╰╯".contains($0) }) {
                problems.append("row \(row) has a stray corner: \(line)")
            }
        }
        for row in [height - 2, height - 1] where screen[row].text.contains(where: { boxCharacters.contains($0) }) {
            problems.append("row \(row) (status or hints) has bits of a border: \(screen[row])")
        }
        return problems
    }
}

/// The My Drive listing on a screen: the header row ("Name ↑  Size Modified  By  Ver") and the
/// rows below it, with the columns where the header puts each field.
struct Listing {
    let screen: Screen
    let headerRow: Int
    /// The data rows (screen rows), top to bottom.
    let rows: [Int]
    /// The list pane's right border.
    let rightBorder: Int
    /// Sizes are right-aligned: they end just before this column.
    let sizeEnd: Int
    /// Where the "Size" header starts: no name may reach it.
    let sizeHeader: Int
    let modifiedStart: Int
    let byStart: Int

    static let nameStart = 2
    private static var date: Regex<Substring> { #/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/# }
    private static var size: Regex<(Substring, Substring?)> { #/\s+\d+(\.\d+)? ?[KMGTP]?i?B$/# }

    /// The listing on `screen`, or nil when it shows none.
    init?(_ screen: Screen) {
        guard let header = screen.lines.firstIndex(where: { $0.text.contains("Name") && $0.text.contains(" Size Modified") }) else {
            return nil
        }
        let line = screen[header]
        guard let border = line.column(of: "│", from: 1), let size = line.column(of: "Size"),
              let modified = line.column(of: "Modified"), let by = line.column(of: "By", from: modified + 8) else { return nil }
        self.screen = screen
        headerRow = header
        rightBorder = border
        sizeHeader = size
        sizeEnd = size + 4
        modifiedStart = modified
        byStart = by
        var rows: [Int] = []
        var row = header + 1
        while row < screen.lines.count, screen[row][0] == "│", !screen[row].text(1..<border).trimmingCharacters(in: .whitespaces).isEmpty {
            rows.append(row)
            row += 1
        }
        self.rows = rows
    }

    /// The name shown in data row `row` (as displayed: cut with "…" when too long).
    func name(_ row: Int) -> String {
        var text = screen[row].text(Self.nameStart..<modifiedStart).trimmingCharacters(in: .whitespaces)
        if let match = text.firstMatch(of: Self.size) { text.removeSubrange(match.range) }
        return text
    }

    /// The names in the listing, top to bottom.
    var names: [String] { rows.map(name) }

    /// The column after the last character of the name in `row`.
    func nameEnd(_ row: Int) -> Int {
        Self.nameStart + TerminalText.width(name(row))
    }

    /// Everything out of line in the listing: a size, date, author or border not in the column
    /// the header gives it, a name running into the size column, a wide character cut in half.
    var problems: [String] {
        var problems: [String] = []
        for row in rows {
            let line = screen[row]
            let what = "row \(row) (\(name(row)))"
            if line[0] != "│" || line[rightBorder] != "│" {
                problems.append("\(what): the list's borders are not at columns 0 and \(rightBorder): \(line)")
            }
            if line.isInsideWideCharacter(modifiedStart) || line[modifiedStart - 1] != " "
                || line.text(modifiedStart..<(modifiedStart + 16)).wholeMatch(of: Self.date) == nil {
                problems.append("\(what): the modified time does not start at column \(modifiedStart): \(line)")
            }
            // The shortest size is "0 B"; no name reaches that far (checked below).
            let sizeText = line.text((sizeEnd - 3)..<sizeEnd).trimmingCharacters(in: .whitespaces)
            if !sizeText.isEmpty && (line[sizeEnd - 1] != "B" || line[sizeEnd] != " ") {
                problems.append("\(what): the size does not end at column \(sizeEnd - 1): \(line)")
            }
            if line[byStart - 1] != " " || line[byStart] == " " || line.isInsideWideCharacter(byStart) {
                problems.append("\(what): the author does not start at column \(byStart): \(line)")
            }
            if line[Self.nameStart - 1] != " " || line[Self.nameStart] == " " {
                problems.append("\(what): the name does not start at column \(Self.nameStart): \(line)")
            }
            if nameEnd(row) >= sizeHeader {
                problems.append("\(what): the name runs to column \(nameEnd(row) - 1), into the size column (from \(sizeHeader)): \(line)")
            }
        }
        return problems
    }
}
