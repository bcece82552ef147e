/// A cell position: zero-based row from the top and column from the left.
public struct Position: Hashable, Sendable {
    /// Zero-based row.
    public var row: Int
    /// Zero-based column.
    public var column: Int

    /// Creates a position.
    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }
}

/// The size of a terminal or buffer in columns and rows.
public struct TerminalSize: Hashable, Sendable {
    /// Columns.
    public var width: Int
    /// Rows.
    public var height: Int

    /// Creates a size; negative values are clamped to zero.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
    }
}

/// A rectangle of cells. Empty when width or height is zero or less.
public struct Rect: Hashable, Sendable {
    /// Top row.
    public var row: Int
    /// Left column.
    public var column: Int
    /// Columns.
    public var width: Int
    /// Rows.
    public var height: Int

    /// Creates a rectangle.
    public init(row: Int, column: Int, width: Int, height: Int) {
        self.row = row
        self.column = column
        self.width = width
        self.height = height
    }

    /// One past the bottom row.
    public var maxRow: Int { row + height }
    /// One past the rightmost column.
    public var maxColumn: Int { column + width }
    /// Whether the rectangle holds no cells.
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    /// The overlap of two rectangles (empty when they do not meet).
    public func intersection(_ other: Rect) -> Rect {
        let top = max(row, other.row)
        let left = max(column, other.column)
        return Rect(
            row: top, column: left,
            width: max(0, min(maxColumn, other.maxColumn) - left),
            height: max(0, min(maxRow, other.maxRow) - top))
    }

    /// This rectangle shrunk by `amount` on every side.
    public func inset(by amount: Int) -> Rect {
        Rect(
            row: row + amount, column: column + amount,
            width: max(0, width - 2 * amount), height: max(0, height - 2 * amount))
    }
}
