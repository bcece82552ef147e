/// A width × height grid of cells: one frame of the screen, drawn off-screen.
///
/// Value type, Sendable: a render function fills a fresh buffer from state, and ``Screen``
/// diffs it against the previous frame. Invariants kept by every mutation:
/// - a wide cell is always followed by its continuation, and a continuation always follows
///   a wide cell (overwriting half of a wide character blanks the other half);
/// - writes outside the grid are clipped, never trapped.
public struct ScreenBuffer: Hashable, Sendable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// All cells, row by row.
    public private(set) var cells: [Cell]
    /// Where the terminal's text cursor should be shown after this frame; `nil` hides it.
    public var cursor: Position?

    /// A blank buffer filled with spaces in `style`.
    public init(width: Int, height: Int, style: Style = .plain) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: .blank(style), count: self.width * self.height)
    }

    /// A blank buffer of the given size.
    public init(size: TerminalSize, style: Style = .plain) {
        self.init(width: size.width, height: size.height, style: style)
    }

    /// The buffer's size.
    public var size: TerminalSize { TerminalSize(width: width, height: height) }

    /// The whole buffer as a rectangle at the origin.
    public var bounds: Rect { Rect(row: 0, column: 0, width: width, height: height) }

    /// The cell at a position inside the buffer.
    public subscript(row: Int, column: Int) -> Cell {
        precondition(contains(row: row, column: column), "cell (\(row), \(column)) outside \(width)×\(height)")
        return cells[row * width + column]
    }

    /// Whether a position lies inside the buffer.
    public func contains(row: Int, column: Int) -> Bool {
        row >= 0 && row < height && column >= 0 && column < width
    }

    /// The cells of one row.
    public func row(_ row: Int) -> ArraySlice<Cell> {
        cells[row * width..<(row + 1) * width]
    }

    /// The characters of one row as text, each wide character once.
    public func text(ofRow row: Int) -> String {
        String(self.row(row).lazy.filter { !$0.isContinuation }.map(\.character))
    }

    /// Writes one character at a position and returns the columns it took (0 when clipped).
    ///
    /// A wide character that does not fit before the right edge is replaced by a blank.
    @discardableResult
    public mutating func set(_ character: Character, row: Int, column: Int, style: Style = .plain) -> Int {
        place(Cell(character, style: style), row: row, column: column)
    }

    /// Writes `text` from a position on one row and returns the columns it took.
    ///
    /// Text is clipped at `maxWidth` columns (when given) and at the buffer's edges; it is
    /// never wrapped. A wide character that would straddle the limit is replaced by a blank
    /// and ends the text. Characters of width 0 (controls, stray marks) are skipped; a
    /// negative `column` clips the start, for horizontal scrolling.
    @discardableResult
    public mutating func put<Text: StringProtocol>(
        _ text: Text, row: Int, column: Int, style: Style = .plain, maxWidth: Int? = nil
    ) -> Int {
        guard row >= 0, row < height else { return 0 }
        let limit = min(width, maxWidth.map { column + max(0, $0) } ?? width)
        var next = column
        for character in text {
            let characterWidth = TextWidth.of(character)
            guard characterWidth > 0 else { continue }
            let cell = Cell(character: character, style: style, width: characterWidth)
            if next + cell.width > limit {
                for padding in max(0, next)..<max(max(0, next), limit) {
                    place(.blank(style), row: row, column: padding)
                }
                next = max(next, limit)
                break
            }
            if next < 0 {
                // Entirely or half left of the edge: only a straddling half shows, as a blank.
                if next + cell.width > 0 { place(.blank(style), row: row, column: 0) }
            } else {
                place(cell, row: row, column: next)
            }
            next += cell.width
        }
        return max(0, min(next, limit) - max(column, 0))
    }

    /// Fills a rectangle (clipped to the buffer) with a character.
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .plain) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        let cell = Cell(character, style: style)
        for row in area.row..<area.maxRow {
            var column = area.column
            while column < area.maxColumn {
                if column + cell.width > area.maxColumn {
                    place(.blank(style), row: row, column: column)
                    break
                }
                column += place(cell, row: row, column: column)
            }
        }
    }

    /// Blanks the whole buffer in `style` and hides the cursor.
    public mutating func clear(style: Style = .plain) {
        cells = Array(repeating: .blank(style), count: width * height)
        cursor = nil
    }

    /// Stores `cell` (and its continuation) after blanking any wide character it cuts in half.
    @discardableResult
    mutating func place(_ cell: Cell, row: Int, column: Int) -> Int {
        guard contains(row: row, column: column), !cell.isContinuation else { return 0 }
        var cell = cell
        if cell.isWide && column + 1 >= width {
            cell = .blank(cell.style)
        }
        let start = row * width + column
        let end = start + cell.width  // one past the last index written
        let rowEnd = (row + 1) * width
        if cells[start].isContinuation && column > 0 {
            cells[start - 1] = .blank(cells[start - 1].style)
        }
        if cells[end - 1].isWide && end < rowEnd {
            cells[end] = .blank(cells[end].style)
        }
        cells[start] = cell
        if cell.isWide {
            cells[start + 1] = .continuation(cell.style)
        }
        return cell.width
    }
}
