/// Consecutive cells of one row to send to the terminal. Value type, Sendable.
///
/// A run never starts on a continuation and never ends between a wide cell and its
/// continuation, so a backend can draw it cell by cell, skipping continuations.
public struct CellRun: Hashable, Sendable {
    /// Zero-based row.
    public var row: Int
    /// Column of the first cell.
    public var column: Int
    /// The cells, left to right.
    public var cells: [Cell]

    /// Creates a run.
    public init(row: Int, column: Int, cells: [Cell]) {
        self.row = row
        self.column = column
        self.cells = cells
    }

    /// One past the last column.
    public var maxColumn: Int { column + cells.count }
}

extension ScreenBuffer {
    /// The runs that turn a screen showing `old` into one showing `self`.
    ///
    /// Only cells that differ are included (plus the other half of a changed wide
    /// character); with no `old`, or one of another size, every row is one run.
    public func diff(from old: ScreenBuffer?) -> [CellRun] {
        guard let old, old.width == width, old.height == height else {
            return allRuns()
        }
        var runs: [CellRun] = []
        for row in 0..<height {
            let base = row * width
            var column = 0
            while column < width {
                guard cells[base + column] != old.cells[base + column] else {
                    column += 1
                    continue
                }
                var start = column
                if cells[base + start].isContinuation && start > 0 {
                    start -= 1
                }
                column += 1
                while column < width
                    && (cells[base + column] != old.cells[base + column] || cells[base + column].isContinuation)
                {
                    column += 1
                }
                runs.append(CellRun(row: row, column: start, cells: Array(cells[base + start..<base + column])))
            }
        }
        return runs
    }

    /// Every row as one run: what a full repaint sends.
    public func allRuns() -> [CellRun] {
        (0..<height).map { CellRun(row: $0, column: 0, cells: Array(row($0))) }
    }

    /// Writes runs into the buffer, clipped to its bounds (how an in-memory terminal
    /// applies what a renderer sends).
    public mutating func apply(_ runs: [CellRun]) {
        for run in runs {
            for (offset, cell) in run.cells.enumerated() where !cell.isContinuation {
                place(cell, row: run.row, column: run.column + offset)
            }
        }
    }
}
